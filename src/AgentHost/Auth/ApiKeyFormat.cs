using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Agents.AgentHost.Auth;

/// <summary>
/// Keys look like <c>sk_live_</c> + 43 base62 characters (32 random bytes). Only the SHA-256 of
/// the whole key is stored; the first 16 characters are the lookup prefix.
/// </summary>
public static class ApiKeyFormat
{
    public const string Secret = "secret";
    public const string Publishable = "publishable";
    public const string Test = "test";
    public const string Live = "live";

    private const int RandomBytes = 32;
    private const int BodyLength = 43; // ceil(256 / log2(62))
    private const int PrefixLength = 16;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public sealed record NewKey(string Key, string Prefix, byte[] Hash, string Kind, string Mode);

    public static NewKey Generate(string kind, string mode)
    {
        var key = $"{(kind == Secret ? "sk" : "pk")}_{mode}_{Base62(RandomNumberGenerator.GetBytes(RandomBytes))}";
        return new NewKey(key, key[..PrefixLength], Hash(key), kind, mode);
    }

    /// <summary>Checks the shape only; whether the key exists is the database's answer.</summary>
    public static bool TryParse(string key, [NotNullWhen(true)] out string? prefix, [NotNullWhen(true)] out string? kind, [NotNullWhen(true)] out string? mode)
    {
        prefix = kind = mode = null;
        var parts = key.Split('_');
        if (parts.Length != 3 || parts[2].Length != BodyLength || !parts[2].All(c => char.IsAsciiLetterOrDigit(c)))
        {
            return false;
        }

        kind = parts[0] switch { "sk" => Secret, "pk" => Publishable, _ => null };
        mode = parts[1] is Test or Live ? parts[1] : null;
        if (kind is null || mode is null)
        {
            kind = mode = null;
            return false;
        }

        prefix = key[..PrefixLength];
        return true;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time: compares hashes, so neither length nor content leaks through timing.</summary>
    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);

    private static string Base62(byte[] bytes)
    {
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var chars = new char[BodyLength];
        for (var i = BodyLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return new string(chars);
    }
}
