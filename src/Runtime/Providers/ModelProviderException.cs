using System.Globalization;

namespace Agents.Runtime.Providers;

/// <summary>
/// A hosted model could not answer: unreachable, too slow, refused the request, or still failing
/// after the retries. The message names the provider, the status and the provider's error code
/// only — never keys, and never the provider's own error text, which can echo request details —
/// so it is safe to log; the host answers the shopper with an apology.
/// </summary>
public sealed class ModelProviderException : Exception
{
    public ModelProviderException(string provider, int? statusCode, bool isTransient, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
        StatusCode = statusCode;
        IsTransient = isTransient;
    }

    public string Provider { get; }

    /// <summary>The HTTP status the provider answered with; null when there was no answer.</summary>
    public int? StatusCode { get; }

    /// <summary>True when trying again later may work (throttling, server errors, timeouts, lost connections).</summary>
    public bool IsTransient { get; }

    /// <summary>How long the provider asked us to wait before trying again, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    internal static ModelProviderException FromStatus(string provider, int statusCode, string? errorCode, TimeSpan? retryAfter) =>
        new(provider, statusCode, IsTransientStatus(statusCode),
            errorCode is null ? $"{provider} answered {statusCode}." : $"{provider} answered {statusCode} ({errorCode}).")
        {
            RetryAfter = retryAfter,
        };

    internal static bool IsTransientStatus(int statusCode) => statusCode is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>
    /// Reads <c>retry-after-ms</c> (OpenAI) or <c>Retry-After</c> in seconds. The HTTP-date form of
    /// Retry-After is not used by either provider and falls back to the usual backoff.
    /// </summary>
    internal static TimeSpan? ParseRetryAfter(string? retryAfterMs, string? retryAfter)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        return int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
    }
}
