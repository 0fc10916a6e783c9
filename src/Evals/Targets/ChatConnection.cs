using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.AgentHost.Chat;
using Agents.Evals.Suites;

namespace Agents.Evals.Targets;

/// <summary>A step could not be carried out (the host refused the turn, no link to open): the run fails with this message.</summary>
public sealed class EvalStepException(string message) : Exception(message);

/// <summary>
/// Talks to a host as any API client does: POST /chat with a secret key, and the secure pages
/// (/l/{token}) as a shopper's browser would post their form.
/// </summary>
public sealed partial class ChatConnection(HttpClient http, string key) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The prompt set the host reported on its last reply (header X-Prompt-Version).</summary>
    public string? PromptVersion { get; private set; }

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<TurnObservation> SendAsync(string sessionId, string customerId, CaseSpec spec, string message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat")
        {
            Content = JsonContent.Create(new
            {
                sessionId,
                customer = new
                {
                    externalId = customerId,
                    name = spec.Customer.Name,
                    language = spec.Customer.Language,
                    phone = spec.Customer.Phone,
                    email = spec.Customer.Email,
                },
                message,
                channel = spec.Channel,
                audience = spec.Audience,
            }, options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new EvalStepException($"POST /chat answered {(int)response.StatusCode}: {Problem(body)}");
        }

        if (response.Headers.TryGetValues(ChatApi.PromptVersionHeader, out var versions))
        {
            PromptVersion = versions.FirstOrDefault();
        }

        var reply = JsonSerializer.Deserialize<ChatReply>(body, Json) ?? throw new EvalStepException("POST /chat answered an empty body");
        if (reply.Reply is null)
        {
            throw new EvalStepException($"the host did not answer the turn: {body}");
        }

        return new TurnObservation
        {
            Reply = reply.Reply,
            Language = reply.Language ?? "",
            ToolCalls = reply.ToolCalls ?? [],
            Citations = reply.Citations ?? [],
            Links = reply.Links ?? [],
            Usage = reply.Usage ?? new UsageDto(0, 0, 0),
            ServerLatencyMs = reply.LatencyMs,
            LatencyMs = Math.Round(elapsed, 1),
        };
    }

    /// <summary>Opens a secure page and submits its form: hidden fields as the page rendered them, then <paramref name="fields"/> (consent ticked unless given).</summary>
    public async Task<int> SubmitPageAsync(string url, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var page = RebaseOnHost(url);
        using var get = await http.GetAsync(page, cancellationToken);
        var html = await get.Content.ReadAsStringAsync(cancellationToken);
        if (!get.IsSuccessStatusCode)
        {
            throw new EvalStepException($"GET {page.AbsolutePath} answered {(int)get.StatusCode}");
        }

        var form = new Dictionary<string, string>();
        foreach (Match hidden in HiddenInput().Matches(html))
        {
            form[System.Net.WebUtility.HtmlDecode(hidden.Groups["name"].Value)] = System.Net.WebUtility.HtmlDecode(hidden.Groups["value"].Value);
        }

        if (html.Contains("name=\"consent\"", StringComparison.Ordinal))
        {
            form["consent"] = "on";
        }

        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        using var post = await http.PostAsync(page, new FormUrlEncodedContent(form), cancellationToken);
        return (int)post.StatusCode;
    }

    public void Dispose() => http.Dispose();

    /// <summary>Links carry the host's public base URL; the page is fetched from the host this connection talks to.</summary>
    private Uri RebaseOnHost(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? new Uri(BaseAddress, absolute.PathAndQuery) : new Uri(BaseAddress, url);

    private static string Problem(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var errors = root.TryGetProperty("errors", out var e) ? e.GetRawText() : null;
            return string.Join(" ", new[] { root.TryGetProperty("title", out var t) ? t.GetString() : null, detail, errors }.Where(s => s is not null));
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]*)"[^>]*value="(?<value>[^"]*)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

}
