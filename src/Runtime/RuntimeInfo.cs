namespace Agents.Runtime;

/// <summary>
/// The agent runtime: model providers (local, OpenAI-compatible, Bedrock), prompts and the
/// tool-calling loop. It knows nothing about HTTP or storage; the host wires it up.
/// </summary>
public static class RuntimeInfo
{
    public const string LocalProvider = "local";
    public const string OpenAiProvider = "openai";
    public const string BedrockProvider = "bedrock";
}
