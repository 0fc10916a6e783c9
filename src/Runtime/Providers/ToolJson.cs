using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Providers;

/// <summary>
/// How tool arguments and results become JSON for a provider: AIJsonUtilities' options, which know
/// the AI content types, but compact, since every byte is a token the model reads.
/// </summary>
internal static class ToolJson
{
    public static JsonSerializerOptions Options { get; } = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
}
