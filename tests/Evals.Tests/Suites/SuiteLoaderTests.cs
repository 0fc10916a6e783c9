using Agents.Evals.Suites;

namespace Agents.Evals.Tests.Suites;

public sealed class SuiteLoaderTests : IDisposable
{
    private const string SuitePath = "s.yaml";

    private readonly string _dir = Directory.CreateTempSubdirectory("evals-suite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Suite Parse(string yaml) => SuiteLoader.Parse(yaml, SuitePath);

    private static IReadOnlyList<string> Errors(string yaml) => Assert.Throws<SuiteException>(() => Parse(yaml)).Errors;

    private Suite LoadWithFile(string yaml, string file, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_dir, file))!);
        File.WriteAllText(Path.Combine(_dir, file), content);
        File.WriteAllText(Path.Combine(_dir, "suite.yaml"), yaml);
        return SuiteLoader.Load(Path.Combine(_dir, "suite.yaml"));
    }

    [Fact]
    public void Parse_MinimalSuite_AppliesDefaults()
    {
        var suite = Parse("""
            suite: minimal
            cases:
              - id: hello
                user: hi
            """);

        Assert.Equal(("minimal", SuitePath, 1.0, 1), (suite.Name, suite.Path, suite.Threshold, suite.Repeat));
        Assert.Equal(TargetKind.InProcess, suite.Target.Kind);
        Assert.Equal(["demo"], suite.Target.Dataset);
        Assert.Equal(VariantSpec.Local, Assert.Single(suite.Variants));
        Assert.Null(suite.Judge);
        var only = Assert.Single(suite.Cases);
        Assert.Equal(("hello", "api", "shopper", 3, null), (only.Id, only.Channel, only.Audience, only.Line, only.KnownIssue));
        var turn = Assert.IsType<TurnSpec>(Assert.Single(only.Steps));
        Assert.Equal("hi", turn.User);
        Assert.Empty(turn.Assertions);
    }

    [Fact]
    public void Parse_RunIdPlaceholder_IsLeftForTheRunner()
    {
        var suite = Parse("""
            suite: runs
            cases:
              - id: register
                turns:
                  - user: "sign me up as {{run_id}}"
                  - page: register
                    fields: { email: "anna.{{run_id}}@example.com" }
            """);

        var steps = Assert.Single(suite.Cases).Steps;
        Assert.Equal("sign me up as {{run_id}}", Assert.IsType<TurnSpec>(steps[0]).User);
        Assert.Equal("anna.{{run_id}}@example.com", Assert.IsType<PageSpec>(steps[1]).Fields["email"]);
    }

    [Fact]
    public void Parse_SingleTurnAndMultiTurnCases_ReadsStepsWithLines()
    {
        var suite = Parse("""
            suite: full
            threshold: 0.8
            repeat: 3
            judge: { provider: openai, model: gpt-4o-mini }
            cases:
              - id: en-discovery
                tags: [discovery, en]
                customer: { name: Anna, language: en }
                user: pistachio treats under 10 euros?
                assert:
                  - tool_called: { name: search_products, args: { maxPrice: 10 } }
                  - citation: true
              - id: checkout
                channel: widget
                turns:
                  - user: add two jars
                    assert: [ { link: register } ]
                  - page: register
                    fields: { name: Anna Rossi, postalCode: "90133" }
                  - user: place the order
            """);

        Assert.Equal((0.8, 3, new ModelSpec("openai", "gpt-4o-mini")), (suite.Threshold, suite.Repeat, suite.Judge));
        var single = suite.Cases[0];
        Assert.Equal(["discovery", "en"], single.Tags);
        Assert.Equal(new CustomerSpec("Anna", "en", null, null), single.Customer);
        var turn = Assert.IsType<TurnSpec>(Assert.Single(single.Steps));
        Assert.Equal("pistachio treats under 10 euros?", turn.User);
        Assert.Equal([("tool_called", 11), ("citation", 12)], turn.Assertions.Select(a => (a.Kind, a.Line)));
        Assert.Equal("""{"name":"search_products","args":{"maxPrice":10}}""", turn.Assertions[0].Value!.ToJsonString());

        var multi = suite.Cases[1];
        Assert.Equal("widget", multi.Channel);
        Assert.Collection(multi.Steps,
            s => Assert.Equal("link", Assert.IsType<TurnSpec>(s).Assertions.Single().Kind),
            s =>
            {
                var page = Assert.IsType<PageSpec>(s);
                Assert.Equal(("register", 18), (page.Purpose, page.Line));
                Assert.Equal(new Dictionary<string, string> { ["name"] = "Anna Rossi", ["postalCode"] = "90133" }, page.Fields);
            },
            s => Assert.Equal(("place the order", 20), (Assert.IsType<TurnSpec>(s).User, s.Line)));
    }

    public static TheoryData<string, int, string> Invalid => new()
    {
        {
            """
            suite: s
            colour: red
            cases:
              - id: a
                user: hi
            """, 2, "unknown key 'colour' in suite"
        },
        {
            """
            suite: s
            cases:
              - id: a
                user: hi
                colour: red
            """, 5, "unknown key 'colour' in case"
        },
        {
            """
            suite: s
            cases:
              - id: a
                user: hi
                assert:
                  - contains: hi
                  - smells_like: roses
            """, 7, "unknown assertion 'smells_like'"
        },
        {
            """
            suite: s
            cases:
              - id: a
                user: hi
                assert:
                  - max_latency_ms: fast
            """, 6, "'max_latency_ms' needs a positive number"
        },
        {
            """
            suite: s
            threshold: 1.5
            cases:
              - id: a
                user: hi
            """, 2, "'threshold' is a pass rate between 0 and 1, got 1.5"
        },
        {
            """
            suite: s
            description: nothing to run
            """, 1, "'cases' is required"
        },
        {
            """
            suite: s
            cases:
              - id: a
                user: hi
              - id: a
                user: hello
            """, 5, "duplicate case id 'a' (first at line 3)"
        },
        {
            """
            suite: s
            cases:
              - id: a
                channel: fax
                user: hi
            """, 4, "unknown channel 'fax'"
        },
        {
            """
            suite: s
            variants:
              - name: v
                provider: acme
                model: acme-1
            cases:
              - id: a
                user: hi
            """, 4, "unknown provider 'acme'"
        },
        {
            """
            suite: s
            variants:
              - name: v
                provider: openai
            cases:
              - id: a
                user: hi
            """, 3, "variant 'v': provider 'openai' needs a 'model'"
        },
        {
            """
            suite: s
            variants:
              - name: v
                key: sk-123
            cases:
              - id: a
                user: hi
            """, 4, "variant 'v': 'key' is for the http target"
        },
        {
            """
            suite: s
            target:
              type: http
              url: https://shop.example
            variants:
              - name: v
                model: gpt-4o-mini
            cases:
              - id: a
                user: hi
            """, 7, "variant 'v': 'model' applies to the in-process target"
        },
        {
            """
            suite: s
            target:
              type: http
              url: https://${UNSET_VAR_XYZ}/
            cases:
              - id: a
                user: hi
            """, 4, "'url' uses the environment variable UNSET_VAR_XYZ, which is not set"
        },
        {
            """
            suite: s
            target:
              type: http
              url: https://shop.example
              key: ${UNSET_VAR_XYZ}
            cases:
              - id: a
                user: hi
            """, 5, "'key' uses the environment variable UNSET_VAR_XYZ, which is not set"
        },
        {
            """
            suite: s
            cases:
              - id: a
                user: hi
                assert:
                  - icontains: "{{nope}}"
            """, 6, "'{{nope}}' has no value: add it to the case's vars"
        },
        {
            """
            suite: s
            cases:
              - id: a
                turns:
                  - user: hi
                  - user: "{{nope}}"
            """, 6, "'{{nope}}' has no value"
        },
        {
            """
            suite: s
            cases:
              - id: a
                description: the message is on the next line
                user: "{{nope}}"
            """, 5, "'{{nope}}' has no value"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidSuite_ReportsErrorAtItsLine(string yaml, int line, string message)
    {
        var errors = Errors(yaml);

        Assert.All(errors, e => Assert.StartsWith($"{SuitePath}:{line}: ", e, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsThemAllAtOnce()
    {
        var exception = Assert.Throws<SuiteException>(() => Parse("""
            suite: s
            threshold: 1.5
            cases:
              - id: a
                channel: fax
                user: hi
                assert:
                  - smells_like: roses
            """));

        Assert.Equal(3, exception.Errors.Count);
        Assert.Equal(["s.yaml:2:", "s.yaml:5:", "s.yaml:8:"], exception.Errors.Select(e => e[..e.IndexOf(' ', StringComparison.Ordinal)]));
        Assert.All(exception.Errors, e => Assert.Contains(e, exception.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_YamlSyntaxError_ReportsOneErrorWithItsLine()
    {
        var error = Assert.Single(Errors("""
            suite: s
            cases:
              - id: a
                 user: hi
            """));

        Assert.StartsWith("s.yaml:4: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Vars_ExpandsOneCasePerRowWithPlaceholdersReplaced()
    {
        var suite = Parse("""
            suite: s
            cases:
              - id: "{{lang}}-discovery"
                tags: [discovery, "{{lang}}"]
                customer: { language: "{{lang}}" }
                vars:
                  - { lang: en, message: "pistachio treats?", word: pistachio }
                  - { lang: it, message: "qualcosa al pistacchio?", word: pistacchio }
                user: "{{message}}"
                assert:
                  - icontains: "{{word}}"
            """);

        Assert.Equal(["en-discovery", "it-discovery"], suite.Cases.Select(c => c.Id));
        var it = suite.Cases[1];
        Assert.Equal(["discovery", "it"], it.Tags);
        Assert.Equal("it", it.Customer.Language);
        var turn = Assert.IsType<TurnSpec>(Assert.Single(it.Steps));
        Assert.Equal("qualcosa al pistacchio?", turn.User);
        var assertion = Assert.Single(turn.Assertions);
        Assert.Equal("pistacchio", assertion.Value!.GetValue<string>());
        Assert.Equal("icontains: \"pistacchio\"", assertion.Source);
    }

    [Fact]
    public void Parse_VarsRowWithoutAValue_ErrorNamesTheRow()
    {
        var error = Assert.Single(Errors("""
            suite: s
            cases:
              - id: "case-{{n}}"
                vars:
                  - { n: "1", word: ciao }
                  - { n: "2" }
                user: hi
                assert:
                  - icontains: "{{word}}"
            """));

        Assert.Equal("s.yaml:9: '{{word}}' has no value: add it to the case's vars (vars at line 6)", error);
    }

    [Fact]
    public void Parse_KnownIssue_EmptyAfterSubstitutionIsNull()
    {
        var suite = Parse("""
            suite: s
            cases:
              - id: "case-{{n}}"
                vars:
                  - { n: "1", issue: "" }
                  - { n: "2", issue: retrieval ranks the policy 4th }
                known_issue: "{{issue}}"
                user: hi
            """);

        Assert.Equal([null, "retrieval ranks the policy 4th"], suite.Cases.Select(c => c.KnownIssue));
    }

    [Fact]
    public void Load_VarsFromCsv_ReadsRowsIncludingQuotedCommas()
    {
        var suite = LoadWithFile("""
            suite: s
            cases:
              - id: "{{id}}"
                tags: ["{{lang}}"]
                vars_from: data/faq.csv
                user: "{{question}}"
                assert:
                  - cites: "{{source}}"
            """, "data/faq.csv", """
            id,lang,question,source
            en-shipping,en,"How long does shipping take, to Germany?",Shipping
            it-resi,it,posso restituire un barattolo?,Resi
            """);

        Assert.Equal(["en-shipping", "it-resi"], suite.Cases.Select(c => c.Id));
        Assert.Equal(["it"], suite.Cases[1].Tags);
        var turn = Assert.IsType<TurnSpec>(suite.Cases[0].Steps.Single());
        Assert.Equal("How long does shipping take, to Germany?", turn.User);
        Assert.Equal("Shipping", turn.Assertions.Single().Value!.GetValue<string>());
    }

    [Fact]
    public void Load_VarsFromCsvWithoutAColumn_ErrorNamesEachRowsLine()
    {
        var errors = Assert.Throws<SuiteException>(() => LoadWithFile("""
            suite: s
            cases:
              - id: "{{id}}"
                vars_from: faq.csv
                user: "{{question}}"
            """, "faq.csv", "id,lang\na,en\nb,it\n")).Errors;

        Assert.Equal(["(faq.csv:2)", "(faq.csv:3)"], errors.Select(e => e[e.LastIndexOf('(')..]));
    }

    [Fact]
    public void Load_VarsFromNdjson_ReadsObjectsSkippingBlankLines()
    {
        var suite = LoadWithFile("""
            suite: s
            cases:
              - id: "{{id}}"
                vars_from: cases.ndjson
                user: "{{message}} x{{count}}"
            """, "cases.ndjson", """
            {"id": "a", "message": "hi", "count": 3}

            {"id": "b", "message": "ciao", "count": 1}
            """);

        Assert.Equal([("a", "hi x3"), ("b", "ciao x1")], suite.Cases.Select(c => (c.Id, ((TurnSpec)c.Steps[0]).User)));
    }

    [Fact]
    public void Load_NdjsonWithABadLine_ErrorNamesThatFileAndLine()
    {
        var errors = Assert.Throws<SuiteException>(() => LoadWithFile("""
            suite: s
            cases:
              - id: "{{id}}"
                vars_from: cases.ndjson
                user: hi
            """, "cases.ndjson", """
            {"id": "a"}
            {"id": "b",
            [1, 2]
            """)).Errors;

        var file = Path.Combine(_dir, "cases.ndjson");
        Assert.Collection(errors,
            e => Assert.StartsWith($"{file}:2: not valid JSON", e, StringComparison.Ordinal),
            e => Assert.Equal($"{file}:3: each line must be a JSON object of variables", e));
    }

    [Fact]
    public void Load_VarsFromMissingFile_IsAnErrorAtItsLine()
    {
        var error = Assert.Single(Assert.Throws<SuiteException>(() => LoadWithFile("""
            suite: s
            cases:
              - id: a
                vars_from: missing.csv
                user: hi
            """, "other.csv", "id\na\n")).Errors);

        Assert.StartsWith($"{Path.Combine(_dir, "suite.yaml")}:4: 'vars_from' file not found", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shopper.yaml", "shopper")]
    [InlineData("safety.yaml", "safety")]
    public void Load_ShippedSuite_IsValid(string file, string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Agents.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        }

        var suite = SuiteLoader.Load(Path.Combine(root.FullName, "evals", file));

        Assert.Equal(name, suite.Name);
        Assert.NotEmpty(suite.Cases);
        Assert.All(suite.Cases, c => Assert.All(c.Steps.OfType<TurnSpec>(), t => Assert.DoesNotContain("{{", t.User, StringComparison.Ordinal)));
    }
}
