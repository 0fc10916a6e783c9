using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Runtime.Providers;

/// <summary>
/// Streamed tool calls arrive as an id and name followed by fragments of their JSON arguments,
/// keyed by index; this collects them and hands each out once, whole.
/// </summary>
internal sealed class ToolCallAssembler
{
    private readonly SortedDictionary<int, PendingCall> _pending = [];

    public void Append(int index, string? id, string? name, string? argumentsFragment)
    {
        if (!_pending.TryGetValue(index, out var call))
        {
            _pending[index] = call = new PendingCall();
        }

        call.Id ??= id;
        call.Name ??= name;
        call.Arguments.Append(argumentsFragment);
    }

    public FunctionCallContent? Complete(int index) =>
        _pending.Remove(index, out var call) ? Parse(call.Id ?? "", call.Name ?? "", call.Arguments.ToString()) : null;

    public List<AIContent> CompleteAll()
    {
        var calls = _pending.Values.Select(call => (AIContent)Parse(call.Id ?? "", call.Name ?? "", call.Arguments.ToString())).ToList();
        _pending.Clear();
        return calls;
    }

    /// <summary>Arguments that do not parse end up in <see cref="FunctionCallContent.Exception"/>, for the tool loop to report.</summary>
    public static FunctionCallContent Parse(string id, string name, string argumentsJson) =>
        FunctionCallContent.CreateFromParsedArguments(argumentsJson, id, name, json => string.IsNullOrWhiteSpace(json)
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(json, ToolJson.Options));

    private sealed class PendingCall
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public StringBuilder Arguments { get; } = new();
    }
}
