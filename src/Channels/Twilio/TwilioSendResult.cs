namespace Agents.Channels.Twilio;

/// <summary>The message Twilio created.</summary>
/// <param name="Sid">Twilio's id for the message (<c>SM…</c>/<c>MM…</c>), which status callbacks refer to.</param>
/// <param name="Status">The initial status, usually <c>queued</c> (or <c>accepted</c> with a messaging service).</param>
/// <param name="ErrorCode">Twilio's error code when the message already failed; normally null.</param>
/// <param name="ErrorMessage">Twilio's description of <paramref name="ErrorCode"/>.</param>
public sealed record TwilioSendResult(string Sid, string Status, int? ErrorCode, string? ErrorMessage);
