using Agents.Data;
using Agents.Retrieval.Indexing;
using Agents.Retrieval.Language;
using Agents.Retrieval.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agents.Retrieval;

public static class RetrievalExtensions
{
    /// <summary>
    /// Registers embeddings (the offline encoder by default, fetched on first run), language
    /// identification, the document store and hybrid search.
    /// </summary>
    public static async Task AddRetrievalAsync(this IHostApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        var options = builder.Configuration.GetSection(RetrievalOptions.Section).Get<RetrievalOptions>() ?? new RetrievalOptions();
        builder.Services.AddOptions<RetrievalOptions>().BindConfiguration(RetrievalOptions.Section);

        IEmbeddingModel model = options.EmbeddingProvider switch
        {
            "openai" => new OpenAiEmbeddingModel(options.OpenAi),
            "local" => await LocalEmbeddingModel.LoadAsync(
                options.ModelsDirectory is { Length: > 0 } configured
                    ? configured
                    : Path.Combine(DataExtensions.DefaultDataDirectory(builder.Environment.ContentRootPath), "models"),
                line => Console.WriteLine($"[models] {line}"), cancellationToken),
            var other => throw new InvalidOperationException($"Retrieval:EmbeddingProvider '{other}' is not supported: use 'local' or 'openai'."),
        };

        builder.Services.AddSingleton(model);
        builder.Services.AddSingleton<LanguageDetector>();
        builder.Services.AddSingleton<DocumentStore>();
        builder.Services.AddSingleton<HybridSearch>();
        builder.Services.AddSingleton<EmbeddingIndex>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddingIndex>());
    }
}
