using System.CommandLine;
using Agents.Evals;

var suites = new Argument<FileInfo[]>("suite") { Description = "Suite files (evals/*.yaml).", Arity = ArgumentArity.OneOrMore };
var variant = new Option<string[]>("--variant", "-v") { Description = "Run only these variants (repeat the option for several)." };
var filter = new Option<string[]>("--filter", "-f") { Description = "Run only cases with this tag or id (repeat for several)." };
var repeat = new Option<int?>("--repeat") { Description = "Run each case N times (overrides the suite's 'repeat')." };
var parallel = new Option<int>("--parallel") { Description = "Case runs in flight at once per variant.", DefaultValueFactory = _ => 1 };
var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Where results.json, junit.xml and report.html go (default TestResults/evals/<suite>)." };
var baseline = new Option<FileInfo?>("--baseline") { Description = "A previous results.json: the report shows what changed, and any regression fails the run." };
var cache = new Option<DirectoryInfo?>("--cache") { Description = "Folder of the hosted-model response cache (default .data/evals-cache)." };
var noCache = new Option<bool>("--no-cache") { Description = "Ask hosted models again instead of replaying cached responses." };
var settings = new Option<string[]>("--set") { Description = "A host setting for the in-process target and the judge, key=value (e.g. Models:OpenAi:BaseUrl=http://localhost:11434/v1); repeatable." };

var run = new Command("run", "Run suites and write the JSON, JUnit XML and HTML reports; exits 1 when a threshold is missed or a case regressed.")
{
    suites, variant, filter, repeat, parallel, output, baseline, cache, noCache, settings,
};
run.SetAction((result, cancellationToken) => Cli.RunAsync(new Cli.RunArguments(
    result.GetValue(suites)!, result.GetValue(variant) ?? [], result.GetValue(filter) ?? [], result.GetValue(repeat), result.GetValue(parallel),
    result.GetValue(output), result.GetValue(baseline), result.GetValue(cache), result.GetValue(noCache), Cli.ParseSettings(result.GetValue(settings) ?? [])), cancellationToken));

var validateSuites = new Argument<FileInfo[]>("suite") { Description = "Suite files to check.", Arity = ArgumentArity.OneOrMore };
var validate = new Command("validate", "Check suites without running them; errors are printed as file:line: message.") { validateSuites };
validate.SetAction(result => Cli.Validate(result.GetValue(validateSuites)!));

var before = new Argument<FileInfo>("baseline") { Description = "The earlier results.json." };
var after = new Argument<FileInfo>("current") { Description = "The later results.json." };
var compareOut = new Option<FileInfo?>("--out", "-o") { Description = "The HTML diff report (default compare.html beside the current run)." };
var compare = new Command("compare", "Compare two runs: regressions, fixes, and the replies side by side; exits 1 on regressions.") { before, after, compareOut };
compare.SetAction((result, cancellationToken) => Cli.CompareAsync(result.GetValue(before)!, result.GetValue(after)!, result.GetValue(compareOut), cancellationToken));

var root = new RootCommand("Agents eval runner: YAML suites of shop conversations, run against the engine or a deployment, with reports.") { run, validate, compare };
return await root.Parse(args).InvokeAsync();
