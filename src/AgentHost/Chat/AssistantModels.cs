using System.Collections.Concurrent;
using Agents.Data.Entities;
using Agents.Retrieval.Search;
using Agents.Runtime.Local;
using Agents.Runtime.Prompts;
using Agents.Runtime.Providers;
using Microsoft.Extensions.AI;

namespace Agents.AgentHost.Chat;

/// <summary>The model a merchant's turn runs on.</summary>
public sealed record ModelChoice(IChatClient Client, string ModelId, bool IsLocal);

/// <summary>
/// Wraps every hosted-model client the host creates (the eval runner puts its response cache here).
/// The local model is never wrapped: it is deterministic and free.
/// </summary>
public interface IHostedModelDecorator
{
    IChatClient Decorate(IChatClient client, string provider, string model);
}

public sealed class ModelsOptions
{
    public const string Section = "Models";

    /// <summary>Where the prompt files are; default the prompts/ folder shipped beside the binaries.</summary>
    public string? PromptsDirectory { get; set; }

    /// <summary>Credentials and endpoints of the hosted providers, shared by the merchants that pick them.</summary>
    public ModelProviderOptions OpenAi { get; set; } = new() { Provider = Runtime.RuntimeInfo.OpenAiProvider };
    public ModelProviderOptions Bedrock { get; set; } = new() { Provider = Runtime.RuntimeInfo.BedrockProvider };

    /// <summary>USD per million tokens by model id, for the cost of each turn.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = [];
}

/// <summary>
/// The prompts, the local model trained from them at start-up, and the hosted clients (one per
/// provider and model, created on first use). Merchants choose provider and model in their AI
/// settings; credentials are the host's configuration.
/// </summary>
public sealed class AssistantModels
{
    private readonly ModelsOptions _options;
    private readonly ModelChoice _local;
    private readonly ConcurrentDictionary<(string Provider, string Model), ModelChoice> _hosted = new();
    private readonly CostEstimator _costs;
    private readonly IHttpClientFactory? _http;
    private readonly IHostedModelDecorator? _decorator;

    public AssistantModels(Microsoft.Extensions.Options.IOptions<ModelsOptions> options, ILogger<AssistantModels> logger, IHttpClientFactory? http = null,
        IHostedModelDecorator? decorator = null)
    {
        _options = options.Value;
        _http = http;
        _decorator = decorator;
        var directory = _options.PromptsDirectory is { Length: > 0 } configured ? configured : Path.Combine(AppContext.BaseDirectory, "prompts");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        PromptsDirectory = directory;
        Prompts = PromptLibrary.Load(directory);
        var local = new LocalModel(Prompts);
        _local = new ModelChoice(new LocalChatClient(local), LocalModel.ModelId, IsLocal: true);
        _costs = new CostEstimator(_options.Prices);
        logger.LogInformation("Prompts {Version} loaded from {Directory}; local model trained in {Elapsed:F0} ms",
            Prompts.Version, directory, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public PromptLibrary Prompts { get; }

    /// <summary>Where the prompt files were read from (Models:PromptsDirectory, else prompts/ beside the binaries).</summary>
    public string PromptsDirectory { get; }

    public string PromptVersion => Prompts.Version;

    public ModelChoice For(Merchant merchant) => merchant.Ai.Provider switch
    {
        "openai" => Hosted(_options.OpenAi, merchant.Ai.Model),
        "bedrock" => Hosted(_options.Bedrock, merchant.Ai.Model),
        _ => _local,
    };

    /// <summary>The merchant's system prompt in the turn's language, with the retrieved passages numbered for citation.</summary>
    public string SystemPrompt(Merchant merchant, string language, IReadOnlyList<SearchHit> passages, string? customerName) =>
        Prompts.SystemPrompt(merchant.Ai.SystemPrompt, language, new Dictionary<string, object?>
        {
            ["merchantName"] = merchant.Name,
            ["today"] = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["customerName"] = customerName,
            ["passages"] = passages.Select(p => new { title = p.Title, text = p.Snippet }).ToList(),
        });

    /// <summary>The system prompt of a staff conversation: the merchant asks about the shop's data, through the analytics tool only.</summary>
    public string StaffPrompt(Merchant merchant, string language) => language switch
    {
        "it" => $"Sei l'assistente analitico di {merchant.Name}. Rispondi alle domande del titolare sui dati del negozio solo con lo strumento ask_analytics, riportando i numeri che restituisce, senza inventarne. Rispondi in italiano.",
        "es" => $"Eres el asistente de análisis de {merchant.Name}. Responde a las preguntas del comerciante sobre los datos de la tienda solo con la herramienta ask_analytics, con las cifras que devuelve, sin inventar ninguna. Responde en español.",
        _ => $"You are the analytics assistant of {merchant.Name}. Answer the owner's questions about the shop's data only with the ask_analytics tool, quoting the numbers it returns and never inventing any. Answer in English.",
    };

    public decimal Cost(string modelId, UsageDetails usage) => _costs.Estimate(modelId, usage).Usd;

    /// <summary>Failures that mean "the model is unavailable": the shopper gets an apology, the log gets the error.</summary>
    public bool IsOutage(Exception exception) => exception is ModelProviderException or HttpRequestException or TimeoutException;

    private ModelChoice Hosted(ModelProviderOptions settings, string model) =>
        _hosted.GetOrAdd((settings.Provider, model), key =>
        {
            var options = new ModelProviderOptions
            {
                Provider = settings.Provider,
                Model = key.Model,
                BaseUrl = settings.BaseUrl,
                ApiKey = settings.ApiKey,
                Region = settings.Region,
                AccessKeyId = settings.AccessKeyId,
                SecretAccessKey = settings.SecretAccessKey,
                SessionToken = settings.SessionToken,
                Timeout = settings.Timeout,
                MaxRetries = settings.MaxRetries,
            };
            var client = ChatClientFactory.Create(options, _http?.CreateClient(key.Provider));
            return new ModelChoice(_decorator?.Decorate(client, key.Provider, key.Model) ?? client, key.Model, IsLocal: false);
        });
}
