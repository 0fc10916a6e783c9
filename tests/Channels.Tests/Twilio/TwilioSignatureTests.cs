using System.Security.Cryptography;
using System.Text;
using Agents.Channels.Twilio;

namespace Agents.Channels.Tests.Twilio;

/// <summary>
/// Against Twilio's published example ("Webhooks security", https://www.twilio.com/docs/usage/webhooks/webhooks-security,
/// and the same vector in twilio-csharp's RequestValidatorTest), so the test pins Twilio's algorithm
/// rather than our signer agreeing with our verifier. Reproducible with
/// <c>printf '%s' 'https://mycompany.com/myapp.php?foo=1&amp;bar=2CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030To+18005551212' | openssl dgst -sha1 -hmac 12345 -binary | base64</c>.
/// </summary>
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string DocsSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static readonly KeyValuePair<string, string>[] DocsForm =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+12349013030"),
        new("Digits", "1234"),
        new("From", "+12349013030"),
        new("To", "+18005551212"),
    ];

    [Fact]
    public void Compute_TwilioDocsExample_MatchesPublishedSignature() =>
        Assert.Equal(DocsSignature, TwilioSignature.Compute(Token, Url, DocsForm));

    [Fact]
    public void Compute_TwilioCsharpLibraryVector_MatchesItsSignature()
    {
        KeyValuePair<string, string>[] form =
            [new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"), new("From", "+14158675309"), new("To", "+18005551212")];

        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.Compute(Token, Url, form));
    }

    [Fact]
    public void Compute_ParametersInAnyOrder_SortsByName()
    {
        var shuffled = DocsForm.Reverse().ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal(DocsSignature, TwilioSignature.Compute(Token, Url, shuffled));
    }

    [Fact]
    public void Compute_NamesDifferingInCase_SortsOrdinally()
    {
        // Ordinal puts every upper-case letter before any lower-case one: "Z" < "a".
        KeyValuePair<string, string>[] form = [new("a", "1"), new("Z", "2")];

        Assert.Equal(Reference(Token, "https://x.test/hook" + "Z2a1"), TwilioSignature.Compute(Token, "https://x.test/hook", form));
    }

    [Fact]
    public void Compute_RepeatedName_SortsItsValuesAsTwilioDoes()
    {
        // Conversations webhooks repeat MessagingBinding.Address; Twilio signs the values sorted
        // (twilio-node#722, twilio-python#613), whatever order the form carried them in.
        KeyValuePair<string, string>[] form =
        [
            new("MessagingBinding.Address", "+18550000000"),
            new("EventType", "onConversationAdd"),
            new("MessagingBinding.Address", "+18330000000"),
            new("MessagingBinding.AuthorAddress", "+16020000000"),
        ];
        const string url = "https://shop.example/channels/twilio/conversations";
        var expected = Reference(Token, url + "EventTypeonConversationAdd"
            + "MessagingBinding.Address+18330000000MessagingBinding.Address+18550000000MessagingBinding.AuthorAddress+16020000000");

        Assert.Equal(expected, TwilioSignature.Compute(Token, url, form));
        Assert.Equal(expected, TwilioSignature.Compute(Token, url, form.Reverse()));
    }

    [Fact]
    public void Compute_RepeatedNameWithSameValue_KeepsBoth()
    {
        KeyValuePair<string, string>[] form = [new("MediaUrl", "https://a.test/1.jpg"), new("MediaUrl", "https://a.test/1.jpg")];

        Assert.Equal(Reference(Token, "https://x.test/h" + "MediaUrlhttps://a.test/1.jpgMediaUrlhttps://a.test/1.jpg"),
            TwilioSignature.Compute(Token, "https://x.test/h", form));
    }

    [Fact]
    public void Compute_UnicodeBody_HashesUtf8()
    {
        const string body = "Ciao! Vorrei 2 kg di pâtes à l'œuf 🍝👨‍👩‍👧 ¿tenéis envío a España? 日本";
        KeyValuePair<string, string>[] form = [new("Body", body), new("From", "whatsapp:+393331234567")];

        var signature = TwilioSignature.Compute(Token, "https://shop.example/wa", form);

        Assert.Equal(Reference(Token, "https://shop.example/wa" + "Body" + body + "Fromwhatsapp:+393331234567"), signature);
        Assert.True(TwilioSignature.IsValid(Token, "https://shop.example/wa", form, signature));
    }

    [Fact]
    public void IsValid_TwilioDocsExample_ReturnsTrue() =>
        Assert.True(TwilioSignature.IsValid(Token, Url, DocsForm, DocsSignature));

    [Fact]
    public void IsValid_TamperedParameter_ReturnsFalse()
    {
        var tampered = DocsForm.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p);

        Assert.False(TwilioSignature.IsValid(Token, Url, tampered, DocsSignature));
    }

    [Fact]
    public void IsValid_AddedParameter_ReturnsFalse() =>
        Assert.False(TwilioSignature.IsValid(Token, Url, [.. DocsForm, new("MessageStatus", "delivered")], DocsSignature));

    [Fact]
    public void IsValid_DroppedParameter_ReturnsFalse() =>
        Assert.False(TwilioSignature.IsValid(Token, Url, DocsForm[1..], DocsSignature));

    [Fact]
    public void IsValid_OtherUrl_ReturnsFalse() =>
        Assert.False(TwilioSignature.IsValid(Token, Url + "&baz=3", DocsForm, DocsSignature));

    [Fact]
    public void IsValid_WrongToken_ReturnsFalse() =>
        Assert.False(TwilioSignature.IsValid("54321", Url, DocsForm, DocsSignature));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("not base64 at all")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ==")]
    [InlineData(" 0/KCTR6DLpKmkAf8muzZqo1nDgQ=")]
    [InlineData("0/kctr6dlpkmkaf8muzzqo1ndgq=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ=0/KCTR6DLpKmkAf8muzZqo1nDgQ=")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ=\0")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ€")]
    public void IsValid_MissingOrMalformedHeader_ReturnsFalse(string? header) =>
        Assert.False(TwilioSignature.IsValid(Token, Url, DocsForm, header));

    [Fact]
    public void IsValid_EmptyToken_ReturnsFalse() =>
        Assert.False(TwilioSignature.IsValid("", Url, DocsForm, TwilioSignature.Compute("", Url, DocsForm)));

    [Fact]
    public void IsValid_SignedWithDefaultPortReceivedWithout_ReturnsTrue()
    {
        var signed = TwilioSignature.Compute(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", DocsForm);

        Assert.True(TwilioSignature.IsValid(Token, Url, DocsForm, signed));
    }

    [Fact]
    public void IsValid_SignedWithoutPortReceivedWithDefaultPort_ReturnsTrue() =>
        Assert.True(TwilioSignature.IsValid(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", DocsForm, DocsSignature));

    [Fact]
    public void IsValid_OtherPort_ReturnsFalse() =>
        Assert.False(TwilioSignature.IsValid(Token, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", DocsForm, DocsSignature));

    [Fact]
    public void IsValid_NoParameters_SignsUrlOnly()
    {
        const string url = "https://shop.example/channels/twilio/status?outbox=0198c0de-0000-7000-8000-000000000001";

        Assert.True(TwilioSignature.IsValid(Token, url, [], Reference(Token, url)));
    }

    /// <summary>The algorithm spelled out once, independently of the class under test.</summary>
    private static string Reference(string token, string data)
    {
#pragma warning disable CA5350 // Twilio's algorithm
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(token));
#pragma warning restore CA5350
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data)));
    }
}
