using System.Net;
using System.Text;
using Agents.Channels.Twilio;
using Microsoft.Extensions.Options;

namespace Agents.Channels.Tests.Twilio;

public sealed class TwilioMessagesClientTests : IDisposable
{
    private const string AccountSid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string AuthToken = "9f3c2b1a0e8d7c6b5a4f3e2d1c0b9a8f";
    private static readonly TwilioCredentials Credentials = new(AccountSid, AuthToken);

    private readonly StubHandler _handler = new();
    private readonly ListLogger<TwilioMessagesClient> _logger = new();

    public void Dispose() => _handler.Dispose();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_WhatsAppText_PostsDocumentedFormWithBasicAuth()
    {
        _handler.RespondWithFile(HttpStatusCode.Created, "message-created.json");

        var result = await Client().SendAsync(Credentials, new TwilioOutboundMessage
        {
            To = "whatsapp:+393331234567",
            From = "whatsapp:+14155238886",
            Body = "Ciao Anna! 👋 Il tuo ordine *A-1001* è partito & arriva domani.",
            StatusCallback = "https://shop.example/channels/twilio/status?outbox=42",
        }, Cancellation);

        Assert.Equal(new TwilioSendResult("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "queued", null, null), result);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json", request.Uri.ToString());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), request.Authorization);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(
        [
            ("To", "whatsapp:+393331234567"),
            ("From", "whatsapp:+14155238886"),
            ("Body", "Ciao Anna! 👋 Il tuo ordine *A-1001* è partito & arriva domani."),
            ("StatusCallback", "https://shop.example/channels/twilio/status?outbox=42"),
        ], ParseForm(request.Body));
    }

    [Fact]
    public async Task SendAsync_PlusAndAmpersand_AreEscapedOnTheWire()
    {
        _handler.RespondWithFile(HttpStatusCode.Created, "message-created.json");

        await Client().SendAsync(Credentials, new TwilioOutboundMessage { To = "+15005550006", From = "+15005550001", Body = "a+b & c=d" }, Cancellation);

        // A literal "+" would arrive as a space: the number would be wrong.
        Assert.Equal("To=%2B15005550006&From=%2B15005550001&Body=a%2Bb+%26+c%3Dd", Assert.Single(_handler.Requests).Body);
    }

    [Fact]
    public async Task SendAsync_TemplateWithMessagingServiceAndMedia_SendsEveryFieldInDocumentedOrder()
    {
        _handler.RespondWithFile(HttpStatusCode.Created, "message-created.json");

        await Client().SendAsync(Credentials, new TwilioOutboundMessage
        {
            To = "whatsapp:+393331234567",
            MessagingServiceSid = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            Body = "Ecco le foto",
            MediaUrl = ["https://cdn.shop.example/p/1.jpg", "https://cdn.shop.example/p/2.jpg?w=800&h=600"],
            ContentSid = "HXbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            ContentVariables = """{"1":"Anna","2":"A-1001"}""",
            StatusCallback = "https://shop.example/status",
        }, Cancellation);

        Assert.Equal(
        [
            ("To", "whatsapp:+393331234567"),
            ("MessagingServiceSid", "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ("Body", "Ecco le foto"),
            ("MediaUrl", "https://cdn.shop.example/p/1.jpg"),
            ("MediaUrl", "https://cdn.shop.example/p/2.jpg?w=800&h=600"),
            ("ContentSid", "HXbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
            ("ContentVariables", """{"1":"Anna","2":"A-1001"}"""),
            ("StatusCallback", "https://shop.example/status"),
        ], ParseForm(Assert.Single(_handler.Requests).Body));
    }

    [Fact]
    public async Task SendAsync_ConfiguredBaseUrl_PostsThere()
    {
        _handler.RespondWithFile(HttpStatusCode.Created, "message-created.json");

        await Client(new TwilioOptions { ApiBaseUrl = "http://localhost:4010/" })
            .SendAsync(Credentials, new TwilioOutboundMessage { To = "+15005550006", From = "+15005550001", Body = "x" }, Cancellation);

        Assert.Equal($"http://localhost:4010/2010-04-01/Accounts/{AccountSid}/Messages.json", Assert.Single(_handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task SendAsync_InvalidNumber_ThrowsNotRetryableWithTwilioDetails()
    {
        _handler.RespondWithFile(HttpStatusCode.BadRequest, "error-21211.json");

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => Send());

        Assert.Equal(400, exception.StatusCode);
        Assert.Equal(21211, exception.Code);
        Assert.Equal("The 'To' number +1555 is not a valid phone number.", exception.ErrorMessage);
        Assert.Equal("https://www.twilio.com/docs/errors/21211", exception.MoreInfo);
        Assert.False(exception.Retryable);
        Assert.Equal("Twilio answered 400 with error 21211 (https://www.twilio.com/docs/errors/21211).", exception.Message);
        Assert.DoesNotContain("+1555", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "error-21610.json", 21610, false)]
    [InlineData(HttpStatusCode.BadRequest, "error-63016.json", 63016, false)]
    [InlineData(HttpStatusCode.TooManyRequests, "error-20429.json", 20429, true)]
    [InlineData(HttpStatusCode.InternalServerError, "error-20500.json", 20500, true)]
    public async Task SendAsync_TwilioError_SetsRetryableFromStatus(HttpStatusCode status, string file, int code, bool retryable)
    {
        _handler.RespondWithFile(status, file);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => Send());

        Assert.Equal(((int)status, code, retryable), (exception.StatusCode, exception.Code, exception.Retryable));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task SendAsync_GatewayErrorWithHtmlBody_ThrowsRetryableWithoutCode(HttpStatusCode status)
    {
        _handler.Respond(status, "<html><body>Bad gateway</body></html>", "text/html");

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => Send());

        Assert.Equal(((int)status, (int?)null, true), (exception.StatusCode, exception.Code, exception.Retryable));
    }

    [Fact]
    public async Task SendAsync_Unauthorized_ThrowsNotRetryable()
    {
        _handler.Respond(HttpStatusCode.Unauthorized, """{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}""");

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => Send());

        Assert.Equal((401, 20003, false), (exception.StatusCode, exception.Code, exception.Retryable));
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_ThrowsRetryable()
    {
        _handler.Fail(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (api.twilio.com:443)"));

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => Send());

        Assert.True(exception.Retryable);
        Assert.Null(exception.StatusCode);
        Assert.IsType<HttpRequestException>(exception.InnerException);
    }

    [Fact]
    public async Task SendAsync_NoAnswerWithinTimeout_ThrowsRetryable()
    {
        _handler.Hang();

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() =>
            Client(new TwilioOptions { Timeout = TimeSpan.FromMilliseconds(50) })
                .SendAsync(Credentials, new TwilioOutboundMessage { To = "+15005550006", From = "+15005550001", Body = "x" }, Cancellation));

        Assert.True(exception.Retryable);
        Assert.Null(exception.StatusCode);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceled()
    {
        _handler.Hang();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client().SendAsync(Credentials, new TwilioOutboundMessage { To = "+15005550006", From = "+15005550001", Body = "x" }, cancellation.Token));
    }

    [Fact]
    public async Task SendAsync_SuccessWithoutSid_ThrowsNotRetryable()
    {
        // The message may exist: sending it again could deliver it twice.
        _handler.Respond(HttpStatusCode.Created, "{}");

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => Send());

        Assert.False(exception.Retryable);
    }

    [Fact]
    public async Task SendAsync_AnyOutcome_NeverLogsOrThrowsTheToken()
    {
        _handler.RespondWithFile(HttpStatusCode.Created, "message-created.json")
            .RespondWithFile(HttpStatusCode.BadRequest, "error-21211.json")
            .Fail(new HttpRequestException("Connection reset"));

        await Send();
        var refused = await Assert.ThrowsAsync<TwilioApiException>(() => Send());
        var unreachable = await Assert.ThrowsAsync<TwilioApiException>(() => Send());

        Assert.NotEmpty(_logger.Lines);
        Assert.All(_logger.Lines, line => Assert.DoesNotContain(AuthToken, line, StringComparison.Ordinal));
        Assert.DoesNotContain(AuthToken, refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AuthToken, unreachable.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AuthToken, Credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains(AccountSid, Credentials.ToString(), StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, TwilioOutboundMessage> IncompleteMessages = new()
    {
        ["no recipient"] = new() { To = "", From = "+15005550001", Body = "x" },
        ["no sender"] = new() { To = "+15005550006", Body = "x" },
        ["no content"] = new() { To = "+15005550006", From = "+15005550001" },
        ["variables without template"] = new() { To = "+15005550006", From = "+15005550001", Body = "x", ContentVariables = """{"1":"a"}""" },
    };

    [Theory]
    [InlineData("no recipient")]
    [InlineData("no sender")]
    [InlineData("no content")]
    [InlineData("variables without template")]
    public async Task SendAsync_IncompleteMessage_ThrowsWithoutCallingTwilio(string incomplete)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client().SendAsync(Credentials, IncompleteMessages[incomplete], Cancellation));

        Assert.Empty(_handler.Requests);
    }

    private Task<TwilioSendResult> Send() =>
        Client().SendAsync(Credentials, new TwilioOutboundMessage { To = "whatsapp:+15005550006", From = "whatsapp:+14155238886", Body = "Ciao" }, Cancellation);

    private TwilioMessagesClient Client(TwilioOptions? options = null) =>
        new(new HttpClient(_handler, disposeHandler: false), Options.Create(options ?? new TwilioOptions()), _logger);

    /// <summary>Decodes application/x-www-form-urlencoded into its pairs, in order, repeats kept.</summary>
    private static (string, string)[] ParseForm(string body) =>
    [
        .. body.Split('&').Select(pair => pair.Split('=', 2)).Select(p => (Decode(p[0]), Decode(p[1]))),
    ];

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
