using System.Net;
using System.Text;

namespace Agents.Channels.Tests.Twilio;

/// <summary>One request as Twilio would have received it.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? ContentType, string Body);

/// <summary>Answers with queued responses through a real <see cref="HttpClient"/> and records every request.</summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly Queue<Func<CancellationToken, Task<HttpResponseMessage>>> _responses = new();

    public List<RecordedRequest> Requests { get; } = [];

    public StubHandler Respond(HttpStatusCode status, string body, string contentType = "application/json")
    {
        _responses.Enqueue(_ => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) }));
        return this;
    }

    public StubHandler RespondWithFile(HttpStatusCode status, string file) =>
        Respond(status, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Twilio", file)));

    public StubHandler Fail(Exception exception)
    {
        _responses.Enqueue(_ => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    /// <summary>Never answers, as a stuck server would: only cancellation ends the wait.</summary>
    public StubHandler Hang()
    {
        _responses.Enqueue(async cancellationToken =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(),
            request.Content?.Headers.ContentType?.ToString(), body));
        Assert.True(_responses.Count > 0, $"No response left for request {Requests.Count}.");
        return await _responses.Dequeue()(cancellationToken);
    }
}
