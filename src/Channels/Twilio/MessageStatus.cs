namespace Agents.Channels.Twilio;

/// <summary>
/// Twilio's message statuses and the order they move in. Status callbacks can arrive late, twice or
/// out of order, so a stored status is only replaced by one further along:
/// <c>scheduled</c>/<c>accepted</c> → <c>queued</c> → <c>sending</c> → <c>sent</c> → <c>delivered</c> → <c>read</c>,
/// with <c>failed</c>, <c>undelivered</c> and <c>canceled</c> as terminal failures.
/// </summary>
public static class MessageStatus
{
    public const string Scheduled = "scheduled";
    public const string Accepted = "accepted";
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";
    public const string Undelivered = "undelivered";
    public const string Canceled = "canceled";

    private static readonly Dictionary<string, int> Progress = new(StringComparer.OrdinalIgnoreCase)
    {
        [Scheduled] = 0,
        [Accepted] = 1,
        [Queued] = 2,
        [Sending] = 3,
        [Sent] = 4,
        [Delivered] = 5,
        [Read] = 6,
    };

    private static readonly HashSet<string> Failures = new(StringComparer.OrdinalIgnoreCase) { Failed, Undelivered, Canceled };

    /// <summary>
    /// Whether moving from <paramref name="current"/> to <paramref name="next"/> is progress, i.e. whether
    /// <paramref name="next"/> should be stored.
    /// <list type="bullet">
    /// <item>No or an unknown current status: any known <paramref name="next"/> is accepted.</item>
    /// <item>An unknown or empty <paramref name="next"/> is refused: it cannot be placed in the order.</item>
    /// <item>The same status again is refused (a repeated callback changes nothing).</item>
    /// <item>Along the success path only later statuses are accepted (<c>sent</c> after <c>delivered</c> is refused).</item>
    /// <item>A failure is accepted until the message is delivered. After <c>delivered</c> or <c>read</c> it is
    /// refused: the handset confirmed receipt, so a later failure is a stale callback.</item>
    /// <item>After a failure nothing is accepted (<c>read</c> after <c>failed</c> is refused).</item>
    /// </list>
    /// </summary>
    public static bool IsForward(string? current, string next)
    {
        if (string.IsNullOrEmpty(next) || !IsKnown(next))
        {
            return false;
        }

        if (string.IsNullOrEmpty(current) || !IsKnown(current))
        {
            return true;
        }

        if (Failures.Contains(current))
        {
            return false;
        }

        var from = Progress[current];
        return Failures.Contains(next) ? from < Progress[Delivered] : Progress[next] > from;
    }

    /// <summary>True for <c>failed</c>, <c>undelivered</c> and <c>canceled</c>.</summary>
    public static bool IsFailure(string? status) => status is not null && Failures.Contains(status);

    private static bool IsKnown(string status) => Progress.ContainsKey(status) || Failures.Contains(status);
}
