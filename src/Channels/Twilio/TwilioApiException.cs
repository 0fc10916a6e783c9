using System.Globalization;

namespace Agents.Channels.Twilio;

/// <summary>
/// Twilio refused or could not take a message. <see cref="Exception.Message"/> holds only the HTTP
/// status, Twilio's error code and its documentation link, so it is safe to log and store; Twilio's
/// own text, which quotes phone numbers, is in <see cref="ErrorMessage"/>.
/// </summary>
public sealed class TwilioApiException : Exception
{
    /// <summary>Creates the exception; see the properties for the meaning of each argument.</summary>
    public TwilioApiException(int? statusCode, int? code, string? errorMessage, string? moreInfo, bool retryable, Exception? innerException = null)
        : base(Describe(statusCode, code, moreInfo), innerException)
    {
        StatusCode = statusCode;
        Code = code;
        ErrorMessage = errorMessage;
        MoreInfo = moreInfo;
        Retryable = retryable;
    }

    /// <summary>The HTTP status Twilio answered with; null when there was no answer (network error, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>Twilio's error code, e.g. 21211 (invalid To), 21610 (recipient unsubscribed), 63016 (outside the 24-hour window).</summary>
    public int? Code { get; }

    /// <summary>Twilio's explanation. May quote the recipient's number: keep it out of logs.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The documentation page for <see cref="Code"/>.</summary>
    public string? MoreInfo { get; }

    /// <summary>True when sending the same message again later may work: throttling (429), server errors (5xx), timeouts and lost connections.</summary>
    public bool Retryable { get; }

    /// <summary>Whether an HTTP status means "try again later" rather than "this request is wrong".</summary>
    public static bool IsRetryableStatus(int statusCode) => statusCode is 408 or 429 or >= 500;

    private static string Describe(int? statusCode, int? code, string? moreInfo)
    {
        if (statusCode is null)
        {
            return "Twilio could not be reached or did not answer in time.";
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"Twilio answered {statusCode}");
        if (code is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" with error {code}");
        }

        return moreInfo is { Length: > 0 } ? $"{text} ({moreInfo})." : text + ".";
    }
}
