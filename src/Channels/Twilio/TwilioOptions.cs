namespace Agents.Channels.Twilio;

/// <summary>Where and how <see cref="TwilioMessagesClient"/> reaches Twilio; bound from <c>Channels:Twilio</c>.</summary>
public sealed class TwilioOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Channels:Twilio";

    /// <summary>Twilio's REST API root; point it at a stand-in for tests or a regional edge.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>
    /// How long one send may take before it counts as a (retryable) timeout. Creating a message
    /// normally answers in well under a second, so a short limit frees the outbox quickly.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
