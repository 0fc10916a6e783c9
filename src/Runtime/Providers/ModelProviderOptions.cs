namespace Agents.Runtime.Providers;

/// <summary>
/// Which hosted model to call and how. A class rather than a record so that printing it can never
/// show the keys it holds.
/// </summary>
public sealed class ModelProviderOptions
{
    /// <summary><c>openai</c> (OpenAI, Azure OpenAI v1, Ollama, vLLM, LM Studio) or <c>bedrock</c>.</summary>
    public string Provider { get; set; } = RuntimeInfo.OpenAiProvider;

    /// <summary>Model id, e.g. <c>gpt-4o-mini</c> or <c>anthropic.claude-3-5-haiku-20241022-v1:0</c>.</summary>
    public string Model { get; set; } = "";

    /// <summary>
    /// OpenAI-compatible: the API root, e.g. <c>http://localhost:11434/v1</c> or
    /// <c>https://{resource}.openai.azure.com/openai/v1/</c>; empty means api.openai.com.
    /// Bedrock: a VPC endpoint instead of <c>https://bedrock-runtime.{region}.amazonaws.com</c>.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>OpenAI-compatible only; may be empty for local servers.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Bedrock only: AWS region, e.g. <c>eu-west-1</c>.</summary>
    public string? Region { get; set; }

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>Bedrock only: set with temporary credentials.</summary>
    public string? SessionToken { get; set; }

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for throttling, server errors, lost connections and timeouts.</summary>
    public int MaxRetries { get; set; } = 3;
}
