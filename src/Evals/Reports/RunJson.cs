using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Agents.Evals.Running;

namespace Agents.Evals.Reports;

/// <summary>results.json: the run as written by <c>run</c> and read back by <c>compare</c> and <c>report</c>.</summary>
public static class RunJson
{
    /// <summary>
    /// Computed properties (passRate, passed, costUsd…) are written so the file reads on its own;
    /// being get-only they are skipped on read and recomputed from the runs.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static async Task WriteAsync(EvalRun run, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);

        // Written beside the target and moved over it so a reader never sees half a file.
        var temp = full + ".tmp";
        try
        {
            await using (var stream = File.Create(temp))
            {
                await JsonSerializer.SerializeAsync(stream, run, Options, ct);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static async Task<EvalRun> ReadAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<EvalRun>(stream, Options, ct)
            ?? throw new InvalidDataException($"{path} holds no eval run.");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,

            // The file is read by people and diff tools, never embedded in HTML: keep accents and quotes literal.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new LenientJsonElementConverter() },
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// A tool call that never returned leaves its result as <c>default(JsonElement)</c>, which the
    /// built-in converter refuses to write; it goes out as null and comes back as a Null element.
    /// </summary>
    private sealed class LenientJsonElementConverter : JsonConverter<JsonElement>
    {
        public override bool HandleNull => true;

        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonElement.ParseValue(ref reader);

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
        {
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
    }
}
