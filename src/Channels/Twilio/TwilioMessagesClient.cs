using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.Channels.Twilio;

/// <summary>
/// Creates messages through Twilio's Messages API (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>).
/// A typed client for <c>AddHttpClient&lt;TwilioMessagesClient&gt;()</c>; credentials come with each
/// call because every merchant sends from its own Twilio account. The auth token only ever goes
/// into the Authorization header: it is never logged or put into an exception.
/// </summary>
public sealed class TwilioMessagesClient(HttpClient httpClient, IOptions<TwilioOptions> options, ILogger<TwilioMessagesClient> logger)
{
    /// <summary>
    /// Sends <paramref name="message"/> as the account in <paramref name="credentials"/>.
    /// </summary>
    /// <returns>The created message's SID and initial status.</returns>
    /// <exception cref="ArgumentException">The message lacks a recipient, a sender or content.</exception>
    /// <exception cref="TwilioApiException">Twilio refused the message, failed, or did not answer; see <see cref="TwilioApiException.Retryable"/>.</exception>
    public async Task<TwilioSendResult> SendAsync(TwilioCredentials credentials, TwilioOutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(credentials.AccountSid);
        ArgumentException.ThrowIfNullOrEmpty(credentials.AuthToken);
        Validate(message);

        var settings = options.Value;
        var uri = $"{settings.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(credentials.AccountSid)}/Messages.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(Form(message)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        int status;
        string body;
        try
        {
            using var response = await httpClient.SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Twilio did not answer within {Timeout} for account {AccountSid}", settings.Timeout, credentials.AccountSid);
            throw new TwilioApiException(null, null, null, null, retryable: true, exception);
        }
        catch (HttpRequestException exception)
        {
            logger.LogWarning("Twilio could not be reached for account {AccountSid}: {Error}", credentials.AccountSid, exception.HttpRequestError);
            throw new TwilioApiException(null, null, null, null, retryable: true, exception);
        }

        if (status is < 200 or > 299)
        {
            var error = TryParse<ErrorBody>(body);
            var failure = new TwilioApiException(status, error?.Code, error?.Message, error?.MoreInfo, TwilioApiException.IsRetryableStatus(status));
            logger.LogWarning("Twilio refused a message for account {AccountSid}: HTTP {Status}, error {Code}, retryable {Retryable}",
                credentials.AccountSid, status, failure.Code, failure.Retryable);
            throw failure;
        }

        var created = TryParse<MessageBody>(body);
        if (created?.Sid is not { Length: > 0 } sid)
        {
            // Accepted but unreadable: the message may exist, so retrying risks a duplicate; the
            // status callback (which names the outbox row) is what records it.
            throw new TwilioApiException(status, null, "The response did not name the created message.", null, retryable: false);
        }

        logger.LogDebug("Twilio created message {Sid} ({Status}) for account {AccountSid}", sid, created.Status, credentials.AccountSid);
        return new TwilioSendResult(sid, created.Status ?? "", created.ErrorCode, created.ErrorMessage);
    }

    /// <summary>The form fields in the order Twilio documents them; absent values are left out, media repeats.</summary>
    private static List<KeyValuePair<string, string>> Form(TwilioOutboundMessage message)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", message.To) };
        Add("From", message.From);
        Add("MessagingServiceSid", message.MessagingServiceSid);
        Add("Body", message.Body);
        foreach (var media in message.MediaUrl)
        {
            Add("MediaUrl", media);
        }

        Add("ContentSid", message.ContentSid);
        Add("ContentVariables", message.ContentVariables);
        Add("StatusCallback", message.StatusCallback);
        return form;

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                form.Add(new(name, value));
            }
        }
    }

    private static void Validate(TwilioOutboundMessage message)
    {
        if (string.IsNullOrWhiteSpace(message.To))
        {
            throw new ArgumentException("A message needs a recipient (To).", nameof(message));
        }

        if (string.IsNullOrEmpty(message.From) && string.IsNullOrEmpty(message.MessagingServiceSid))
        {
            throw new ArgumentException("A message needs a sender: From or MessagingServiceSid.", nameof(message));
        }

        if (string.IsNullOrEmpty(message.Body) && message.MediaUrl.Count == 0 && string.IsNullOrEmpty(message.ContentSid))
        {
            throw new ArgumentException("A message needs content: Body, MediaUrl or ContentSid.", nameof(message));
        }

        if (!string.IsNullOrEmpty(message.ContentVariables) && string.IsNullOrEmpty(message.ContentSid))
        {
            throw new ArgumentException("ContentVariables fill a template: they need ContentSid.", nameof(message));
        }
    }

    private static T? TryParse<T>(string body) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page, or an empty body: the HTTP status alone has to do.
            return null;
        }
    }

    private sealed record MessageBody(
        [property: JsonPropertyName("sid")] string? Sid,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("error_code")] int? ErrorCode,
        [property: JsonPropertyName("error_message")] string? ErrorMessage);

    private sealed record ErrorBody(
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("more_info")] string? MoreInfo,
        [property: JsonPropertyName("status")] int? Status);
}
