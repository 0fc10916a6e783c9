namespace Agents.Channels.Twilio;

/// <summary>
/// A Twilio account (or subaccount) to send as. Each merchant has its own, so credentials travel
/// with every call rather than living in configuration.
/// </summary>
/// <param name="AccountSid">The account SID (<c>AC…</c>), the Basic-auth user name.</param>
/// <param name="AuthToken">The auth token, the Basic-auth password. Never printed: see <see cref="ToString"/>.</param>
public sealed record TwilioCredentials(string AccountSid, string AuthToken)
{
    /// <summary>The account SID only: a record would otherwise print the token into any log that formats it.</summary>
    public override string ToString() => $"TwilioCredentials {{ AccountSid = {AccountSid}, AuthToken = *** }}";
}
