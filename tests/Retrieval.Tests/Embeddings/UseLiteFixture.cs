using System.Text.Json;
using Agents.Retrieval.Embeddings;

namespace Agents.Retrieval.Tests.Embeddings;

/// <summary>
/// The real model, fetched into the repository's .data/models on first use exactly as the host
/// does, loaded once per test run; and the TF.js reference written by eng/reference.
/// </summary>
internal static class UseLiteFixture
{
    private static readonly Lazy<Task<UniversalSentenceEncoder>> Encoder = new(LoadEncoderAsync);
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
    private static readonly Lazy<ReferenceFile> ReferenceFile = new(LoadReference);

    public static Task<UniversalSentenceEncoder> EncoderAsync() => Encoder.Value;

    public static IReadOnlyList<ReferenceItem> Reference => ReferenceFile.Value.Items;

    public static string ModelsDirectory => Path.Combine(RepositoryRoot(), ".data", "models");

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agents.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Agents.sln above {AppContext.BaseDirectory}.");
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    private static async Task<UniversalSentenceEncoder> LoadEncoderAsync()
    {
        // Shared by every test, so it must not be tied to the first caller's cancellation.
        var folder = await ModelStore.EnsureUseLiteAsync(ModelsDirectory, line => Console.WriteLine($"[models] {line}"), CancellationToken.None);
        return await UniversalSentenceEncoder.LoadAsync(folder, CancellationToken.None);
    }

    private static ReferenceFile LoadReference()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "use-reference.json");
        return JsonSerializer.Deserialize<ReferenceFile>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty.");
    }
}

internal sealed record ReferenceFile(IReadOnlyList<ReferenceItem> Items);

internal sealed record ReferenceItem(string Text, int[] Ids, float[] Vector)
{
    public override string ToString() => Text.Length <= 40 ? Text : $"{Text[..40]}… ({Text.Length} chars)";
}
