namespace Agents.Channels.Twilio;

/// <summary>
/// One message to create through Twilio's Messages API. Needs a recipient (<see cref="To"/>), a sender
/// (<see cref="From"/> and/or <see cref="MessagingServiceSid"/>) and content (<see cref="Body"/>,
/// <see cref="MediaUrl"/> and/or <see cref="ContentSid"/>), as Twilio documents.
/// </summary>
public sealed record TwilioOutboundMessage
{
    /// <summary>The recipient: E.164 for SMS, <c>whatsapp:+…</c> for WhatsApp.</summary>
    public required string To { get; init; }

    /// <summary>The sender address, e.g. <c>whatsapp:+14155238886</c>; optional with a messaging service.</summary>
    public string? From { get; init; }

    /// <summary>The messaging service (<c>MG…</c>) that picks the sender when <see cref="From"/> is not given.</summary>
    public string? MessagingServiceSid { get; init; }

    /// <summary>The text, at most 1,600 characters (see <c>MessageSplitter</c>).</summary>
    public string? Body { get; init; }

    /// <summary>Public URLs of media to attach, sent as repeated <c>MediaUrl</c> parameters.</summary>
    public IReadOnlyList<string> MediaUrl { get; init; } = [];

    /// <summary>An approved content template (<c>HX…</c>), required outside WhatsApp's 24-hour window.</summary>
    public string? ContentSid { get; init; }

    /// <summary>The template's variables as a JSON object string, e.g. <c>{"1":"Anna"}</c>.</summary>
    public string? ContentVariables { get; init; }

    /// <summary>Where Twilio posts this message's status changes.</summary>
    public string? StatusCallback { get; init; }
}
