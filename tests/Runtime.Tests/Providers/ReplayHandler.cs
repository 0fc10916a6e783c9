using System.Net;
using System.Net.Http.Headers;

namespace Agents.Runtime.Tests.Providers;

/// <summary>One request as the provider would have received it.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>Serves queued responses in order, through a real <see cref="HttpClient"/>, and records every request.</summary>
public sealed class ReplayHandler : HttpMessageHandler
{
    private readonly Queue<Func<CancellationToken, Task<HttpResponseMessage>>> _responses = new();

    public List<RecordedRequest> Requests { get; } = [];

    public ReplayHandler Respond(HttpStatusCode status, string body, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        Respond(status, new StringContent(body), contentType, headers);

    public ReplayHandler RespondWithFile(string file, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        Respond(HttpStatusCode.OK, TestFiles.Read(file), contentType, headers);

    public ReplayHandler RespondWithBytes(byte[] body, string contentType, params (string Name, string Value)[] headers) =>
        Respond(HttpStatusCode.OK, new ByteArrayContent(body), contentType, headers);

    /// <summary>Never answers: waits until the request is cancelled, as a stuck server would.</summary>
    public ReplayHandler Hang()
    {
        _responses.Enqueue(async cancellationToken =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    public ReplayHandler Fail(Exception exception)
    {
        _responses.Enqueue(_ => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, headers, body));
        Assert.True(_responses.Count > 0, $"No recorded response left for request {Requests.Count}.");
        return await _responses.Dequeue()(cancellationToken);
    }

    private ReplayHandler Respond(HttpStatusCode status, HttpContent content, string contentType, (string Name, string Value)[] headers)
    {
        _responses.Enqueue(_ =>
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            var response = new HttpResponseMessage(status) { Content = content };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return Task.FromResult(response);
        });
        return this;
    }
}
