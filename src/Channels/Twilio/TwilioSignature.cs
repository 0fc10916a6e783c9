using System.Security.Cryptography;
using System.Text;

namespace Agents.Channels.Twilio;

/// <summary>
/// Twilio's request signature (the <c>X-Twilio-Signature</c> header): Base64 of HMAC-SHA1, keyed
/// with the account's auth token, over the full URL Twilio called followed by every POST parameter
/// sorted by name, each name immediately followed by its value.
/// </summary>
public static class TwilioSignature
{
    /// <summary>
    /// Computes the signature Twilio sends for a request to <paramref name="url"/> carrying
    /// <paramref name="form"/>. Names are sorted ordinally; a name that repeats has its values
    /// sorted too, as Twilio's own validators do since twilio-node#722 and twilio-python#613
    /// showed Twilio signs them that way.
    /// </summary>
    /// <param name="authToken">The account's auth token (the HMAC key).</param>
    /// <param name="url">The exact URL Twilio called, scheme, host, path and query string included.</param>
    /// <param name="form">The decoded POST parameters; empty for a GET.</param>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);

        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value ?? "", StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        // SHA-1 is Twilio's choice, not ours: the signature cannot be verified with anything else.
#pragma warning disable CA5350
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// True when <paramref name="signatureHeader"/> is the signature of this request. The URL is also
    /// tried with the default port added or removed (<c>https://host:443/…</c> vs <c>https://host/…</c>),
    /// because Twilio signs either spelling depending on how the webhook was configured. Compared in
    /// constant time; false for a missing, empty or malformed header and for an empty token.
    /// </summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">The URL Twilio called, as Twilio saw it (the public URL, not the one behind a proxy).</param>
    /// <param name="form">The decoded POST parameters.</param>
    /// <param name="signatureHeader">The value of the <c>X-Twilio-Signature</c> header.</param>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signatureHeader)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signatureHeader))
        {
            return false;
        }

        var pairs = form as IReadOnlyCollection<KeyValuePair<string, string>> ?? [.. form];
        var received = Encoding.UTF8.GetBytes(signatureHeader);
        var valid = false;
        foreach (var candidate in UrlSpellings(url))
        {
            // No early exit: every spelling is checked, so timing does not tell which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(received, Encoding.UTF8.GetBytes(Compute(authToken, candidate, pairs)));
        }

        return valid;
    }

    /// <summary>The URL as given, plus the same URL with its default port added or removed.</summary>
    private static IEnumerable<string> UrlSpellings(string url)
    {
        yield return url;

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            yield break;
        }

        var defaultPort = url[..schemeEnd].ToUpperInvariant() switch
        {
            "HTTPS" => "443",
            "HTTP" => "80",
            _ => null,
        };
        if (defaultPort is null)
        {
            yield break;
        }

        var hostStart = schemeEnd + 3;
        var hostEnd = url.IndexOfAny(['/', '?', '#'], hostStart);
        if (hostEnd < 0)
        {
            hostEnd = url.Length;
        }

        var authority = url[hostStart..hostEnd];
        var portColon = authority.LastIndexOf(':');
        var hasPort = portColon > authority.LastIndexOf(']') && portColon > authority.LastIndexOf('@');
        if (!hasPort)
        {
            yield return url[..hostEnd] + ":" + defaultPort + url[hostEnd..];
        }
        else if (authority[(portColon + 1)..] == defaultPort)
        {
            yield return url[..(hostStart + portColon)] + url[hostEnd..];
        }
    }
}
