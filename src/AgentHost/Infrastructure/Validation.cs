using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Agents.AgentHost.Infrastructure;

/// <summary>Collects field errors in the shape <c>TypedResults.ValidationProblem</c> wants.</summary>
public sealed partial class Validation
{
    public static readonly IReadOnlyList<string> Languages = ["en", "it", "es"];

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public Validation Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"'{field}' is required.");
        }

        return value.Length > maxLength ? Add(field, $"'{field}' must be at most {maxLength} characters.") : this;
    }

    public Validation OneOf(string field, string? value, IReadOnlyList<string> allowed, bool required = true)
    {
        if (value is null)
        {
            return required ? Add(field, $"'{field}' is required: one of {string.Join(", ", allowed)}.") : this;
        }

        return allowed.Contains(value) ? this : Add(field, $"'{field}' must be one of {string.Join(", ", allowed)}; got '{value}'.");
    }

    public Validation Range(string field, double? value, double min, double max) =>
        value is { } v && (v < min || v > max || double.IsNaN(v)) ? Add(field, $"'{field}' must be between {min} and {max}.") : this;

    /// <summary>Accepts common spellings (spaces, dashes, 00 prefix) and returns E.164, or null when impossible.</summary>
    public static string? NormalizePhone(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var compact = PhoneNoise().Replace(raw.Trim(), "");
        if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            compact = "+" + compact[2..];
        }

        return E164().IsMatch(compact) ? compact : null;
    }

    public static bool IsEmail(string value) => Email().IsMatch(value);

    public static bool IsSlug(string value) => Slug().IsMatch(value);

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex PhoneNoise();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex Slug();
}

/// <summary>Keyset paging: <c>?limit=50&amp;after=&lt;last id&gt;</c>; ids are time-ordered UUIDv7.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, Guid? NextAfter);

public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>One page after the cursor, oldest first (or newest first); fetches one extra row to know if more exist.</summary>
    public static async Task<Page<TDto>> ToPageAsync<T, TDto>(this IQueryable<T> query, int? limit, Guid? after, Func<T, TDto> map,
        CancellationToken cancellationToken, bool newestFirst = false)
        where T : class, Data.Entities.IEntity
    {
        var take = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
        if (after is { } cursor)
        {
            query = newestFirst ? query.Where(e => e.Id.CompareTo(cursor) < 0) : query.Where(e => e.Id.CompareTo(cursor) > 0);
        }

        var rows = await (newestFirst ? query.OrderByDescending(e => e.Id) : query.OrderBy(e => e.Id))
            .Take(take + 1).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Count > take
            ? new Page<TDto>(rows[..take].ConvertAll(r => map(r)), rows[take - 1].Id)
            : new Page<TDto>(rows.ConvertAll(r => map(r)), null);
    }
}
