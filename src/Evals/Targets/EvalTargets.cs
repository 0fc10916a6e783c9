using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.AgentHost;
using Agents.AgentHost.Auth;
using Agents.AgentHost.Chat;
using Agents.Data.Provisioning;
using Agents.Evals.Suites;

namespace Agents.Evals.Targets;

/// <summary>Where a suite's turns go; one connection per variant.</summary>
public interface IEvalTarget : IAsyncDisposable
{
    /// <summary>For reports: "in-process (demo + datasets/safety)" or the deployment's URL.</summary>
    string Description { get; }

    Task<ChatConnection> ConnectAsync(VariantSpec variant, CancellationToken cancellationToken);
}

/// <summary>A running deployment: every variant talks to the same URL, with its own key when it names one.</summary>
public sealed class HttpTarget(TargetSpec spec) : IEvalTarget
{
    public string Description => spec.Url!;

    public Task<ChatConnection> ConnectAsync(VariantSpec variant, CancellationToken cancellationToken)
    {
        var key = variant.Key ?? spec.Key
            ?? throw new EvalStepException($"variant '{variant.Name}' has no key: give the target or the variant a 'key' (a secret key of the merchant to test)");
        return Task.FromResult(new ChatConnection(new HttpClient { BaseAddress = new Uri(spec.Url!), Timeout = TimeSpan.FromMinutes(2) }, key));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The real host started inside the runner, on a loopback port, over a database of its own that is
/// dropped at the end. The dataset is the seeded demo shop and/or folders uploaded through the
/// public APIs; each variant sets the merchant's AI settings, and a variant with its own prompts
/// folder gets a host started on that folder.
/// </summary>
public sealed class InProcessTarget(TargetSpec spec, IHostedModelDecorator? decorator, string logPath, Action<string> progress,
    IReadOnlyDictionary<string, string?>? settings = null) : IEvalTarget
{
    private const string AdminKey = "eval-admin-key-0123456789-abcdefghijklmnopqrstuvwxyz";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _secretKey = ApiKeyFormat.Generate(ApiKeyFormat.Secret, ApiKeyFormat.Test).Key;
    private string? _server;
    private string? _database;
    private WebApplication? _host;
    private string? _hostPrompts;
    private Uri? _address;
    private string? _key;
    private JsonNode? _originalAi;

    public string Description => $"in-process ({string.Join(" + ", spec.Dataset.Select(d => d == "demo" ? d : Path.GetFileName(d)))})";

    public async Task<ChatConnection> ConnectAsync(VariantSpec variant, CancellationToken cancellationToken)
    {
        if (_host is null || _hostPrompts != variant.PromptsDirectory)
        {
            await StartHostAsync(variant.PromptsDirectory, cancellationToken);
        }

        using var admin = Client(_key!);
        if (_originalAi is null)
        {
            var merchant = await admin.GetFromJsonAsync<JsonObject>("/api/merchant", cancellationToken);
            _originalAi = merchant!["ai"]!.DeepClone();
        }

        // Each variant starts from the merchant's own settings, so one variant's overrides never leak into the next.
        var ai = (JsonObject)_originalAi.DeepClone();
        ai["provider"] = variant.Provider;
        if (variant.Model is not null)
        {
            ai["model"] = variant.Model;
        }

        if (variant.SystemPrompt is not null)
        {
            ai["systemPrompt"] = variant.SystemPrompt;
        }

        if (variant.Temperature is { } temperature)
        {
            ai["temperature"] = temperature;
        }

        if (variant.MaxTokens is { } maxTokens)
        {
            ai["maxTokens"] = maxTokens;
        }

        using var patch = await admin.PatchAsJsonAsync("/api/merchant", new { ai }, Json, cancellationToken);
        await EnsureOkAsync(patch, $"setting the AI settings of variant '{variant.Name}'", cancellationToken);
        return new ChatConnection(Client(null), _key!);
    }

    private async Task StartHostAsync(string? prompts, CancellationToken cancellationToken)
    {
        if (_host is not null)
        {
            await _host.StopAsync(cancellationToken);
            await _host.DisposeAsync();
            _host = null;
        }

        var fresh = _database is null;
        if (fresh)
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            _server = await ScratchDatabase.ResolveServerAsync(configuration, AppContext.BaseDirectory, progress, cancellationToken);
            _database = await ScratchDatabase.CreateAsync(_server, "eval", "run", cancellationToken);
            progress($"database {new Npgsql.NpgsqlConnectionStringBuilder(_database).Database}");
        }

        var seedDemo = spec.Dataset.Count > 0 && spec.Dataset[0] == "demo";
        (_host, _address) = await AgentHostApp.StartOnLoopbackAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Agents"] = _database,
                ["Admin:ApiKey"] = AdminKey,
                ["Demo:Enabled"] = seedDemo ? "true" : "false",
                ["Demo:SecretKey"] = seedDemo ? _secretKey : null,
                ["Models:PromptsDirectory"] = prompts,
                // The suite talks through /chat only: no WhatsApp delivery, no nightly jobs.
                ["Channels:Workers:Enabled"] = "false",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new FileLoggerProvider(logPath));
            if (decorator is not null)
            {
                builder.Services.AddSingleton(decorator);
            }
        }, cancellationToken);
        _hostPrompts = prompts;
        progress($"host started at {_address}{(prompts is null ? "" : $" with prompts from {prompts}")}");
        if (fresh)
        {
            _key = seedDemo ? _secretKey : await CreateMerchantAsync(cancellationToken);
            foreach (var folder in spec.Dataset.Where(d => d != "demo"))
            {
                await UploadDatasetAsync(folder, cancellationToken);
            }
        }
    }

    private async Task<string> CreateMerchantAsync(CancellationToken cancellationToken)
    {
        using var admin = Client(AdminKey);
        using var response = await admin.PostAsJsonAsync("/api/admin/merchants", new { name = "Eval shop", slug = "eval-shop", defaultLanguage = "en" }, cancellationToken);
        await EnsureOkAsync(response, "creating the eval merchant", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["secretKey"]!.GetValue<string>();
    }

    /// <summary>products.json, documents.json/.ndjson and orders.ndjson of a dataset folder, through the public bulk APIs.</summary>
    private async Task UploadDatasetAsync(string folder, CancellationToken cancellationToken)
    {
        using var client = Client(_key!);
        var uploads = new (string File, HttpMethod Method, string Path, string ContentType)[]
        {
            ("products.json", HttpMethod.Put, "/api/catalog/products", "application/json"),
            ("documents.json", HttpMethod.Post, "/api/documents/bulk", "application/json"),
            ("documents.ndjson", HttpMethod.Post, "/api/documents/bulk", "application/x-ndjson"),
            ("orders.ndjson", HttpMethod.Post, "/api/orders/bulk", "application/x-ndjson"),
        };
        foreach (var (file, method, path, contentType) in uploads)
        {
            var full = Path.Combine(folder, file);
            if (!File.Exists(full))
            {
                continue;
            }

            using var content = new StringContent(await File.ReadAllTextAsync(full, cancellationToken));
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = content }, cancellationToken);
            await EnsureOkAsync(response, $"uploading {full}", cancellationToken);
            var result = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            if (result?["failed"]?.GetValue<int>() is > 0)
            {
                throw new EvalStepException($"uploading {full}: {result["errors"]?.ToJsonString()}");
            }

            progress($"dataset {Path.GetFileName(folder)}/{file} uploaded");
        }
    }

    private HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new EvalStepException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }

        if (_server is not null && _database is not null)
        {
            await ScratchDatabase.DropAsync(_server, _database);
        }
    }
}
