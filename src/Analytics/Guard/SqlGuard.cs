using System.Text;

namespace Agents.Analytics.Guard;

/// <summary>The verdict on a generated statement: the SQL to run (trailing semicolon removed) or why it was rejected.</summary>
public sealed record SqlVerdict(bool Allowed, string Sql, string? Problem)
{
    public static SqlVerdict Reject(string problem) => new(false, "", problem);
}

/// <summary>
/// Checks SQL a hosted model wrote before it runs. This is the first of two fences: the database
/// (read-only transaction, a role that can only read the analytics views, row-level security by
/// merchant, statement timeout) is the one that holds even if this check has a gap. So the check
/// is deliberately narrow and simple: one SELECT (or WITH … SELECT) statement, no comments, no
/// dollar quoting, no statement keyword that writes or changes the session, no function that reads
/// or changes settings or touches the server, and relations only from the analytics views or the
/// statement's own CTEs.
/// </summary>
public static class SqlGuard
{
    public static readonly IReadOnlySet<string> Views = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "orders", "order_items", "customers", "loyalty", "conversations", "questions",
    };

    private static readonly HashSet<string> ForbiddenWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "insert", "update", "delete", "merge", "drop", "alter", "create", "truncate", "grant", "revoke", "copy", "call",
        "do", "execute", "prepare", "deallocate", "listen", "notify", "unlisten", "vacuum", "analyze", "cluster", "reindex",
        "set", "reset", "show", "lock", "into", "commit", "rollback", "begin", "savepoint", "release", "checkpoint",
        "discard", "load", "import", "refresh", "security", "comment", "declare", "fetch", "close", "move", "for",
    };

    private static readonly string[] ForbiddenFunctionPrefixes =
    [
        "pg_", "set_config", "current_setting", "lo_", "dblink", "query_to_xml", "table_to_xml", "cursor_to_xml",
        "database_to_xml", "schema_to_xml", "txid_", "inet_", "version", "has_", "current_user", "session_user",
        "current_role", "current_schema", "current_database", "current_catalog", "user", "to_regclass", "regclass",
    ];

    public static SqlVerdict Check(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return SqlVerdict.Reject("The statement is empty.");
        }

        var text = sql.Trim();
        while (text.EndsWith(';'))
        {
            text = text[..^1].TrimEnd();
        }

        if (text.Length > 8000)
        {
            return SqlVerdict.Reject("The statement is longer than 8,000 characters.");
        }

        if (text.Contains("--", StringComparison.Ordinal) || text.Contains("/*", StringComparison.Ordinal))
        {
            return SqlVerdict.Reject("Comments are not allowed.");
        }

        if (!Tokenize(text, out var tokens, out var problem))
        {
            return SqlVerdict.Reject(problem!);
        }

        if (tokens.Count == 0 || !(tokens[0].Is("select") || tokens[0].Is("with")))
        {
            return SqlVerdict.Reject("Only a SELECT statement (optionally starting with WITH) may run.");
        }

        var ctes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.Symbol && token.Text == ";")
            {
                return SqlVerdict.Reject("Only one statement may run.");
            }

            if (token.Kind != TokenKind.Word)
            {
                continue;
            }

            if (ForbiddenWords.Contains(token.Text))
            {
                return SqlVerdict.Reject($"'{token.Text.ToUpperInvariant()}' is not allowed in an analytics query.");
            }

            var next = i + 1 < tokens.Count ? tokens[i + 1] : default;
            if (next.Kind == TokenKind.Symbol && next.Text == "(" && ForbiddenFunctionPrefixes.Any(p => token.Text.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                return SqlVerdict.Reject($"The function {token.Text} is not allowed in an analytics query.");
            }

            if (ForbiddenFunctionPrefixes.Any(p => token.Text.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                return SqlVerdict.Reject($"'{token.Text}' is not allowed in an analytics query.");
            }

            // "name AS (" declares a CTE.
            if (next.Is("as") && i + 2 < tokens.Count && tokens[i + 2].Text == "(")
            {
                ctes.Add(token.Text);
            }
        }

        for (var i = 0; i < tokens.Count - 1; i++)
        {
            if (!(tokens[i].Is("from") || tokens[i].Is("join")))
            {
                continue;
            }

            var relation = tokens[i + 1];
            if (relation.Kind == TokenKind.Symbol && relation.Text == "(")
            {
                continue; // a subquery
            }

            if (relation.Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier))
            {
                continue; // e.g. EXTRACT(month FROM created_at): FROM followed by a column expression handled below
            }

            var name = relation.Text;
            if (i + 3 < tokens.Count && tokens[i + 2].Text == ".")
            {
                if (!name.Equals("analytics", StringComparison.OrdinalIgnoreCase) || !Views.Contains(tokens[i + 3].Text))
                {
                    return SqlVerdict.Reject($"Only the analytics views may be read ({string.Join(", ", Views.Order())}); '{name}.{tokens[i + 3].Text}' is not one.");
                }

                continue;
            }

            if (IsInsideExtract(tokens, i))
            {
                continue;
            }

            if (!Views.Contains(name) && !ctes.Contains(name) && !name.Equals("generate_series", StringComparison.OrdinalIgnoreCase))
            {
                return SqlVerdict.Reject($"Only the analytics views may be read ({string.Join(", ", Views.Order())}); '{name}' is not one.");
            }
        }

        // Any other schema-qualified name (pg_catalog.x, public.orders, information_schema.y) is refused.
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (tokens[i + 1].Text == "." && tokens[i].Kind is TokenKind.Word or TokenKind.QuotedIdentifier
                && (tokens[i].Text.Equals("pg_catalog", StringComparison.OrdinalIgnoreCase) || tokens[i].Text.Equals("public", StringComparison.OrdinalIgnoreCase)
                    || tokens[i].Text.Equals("information_schema", StringComparison.OrdinalIgnoreCase) || tokens[i].Text.StartsWith("pg_", StringComparison.OrdinalIgnoreCase)))
            {
                return SqlVerdict.Reject($"The schema {tokens[i].Text} may not be read.");
            }
        }

        return new SqlVerdict(true, text, null);
    }

    private static bool IsInsideExtract(List<Token> tokens, int from)
    {
        // EXTRACT(<field> FROM <expr>) and SUBSTRING(x FROM n): FROM preceded by "word ( word".
        return from >= 3 && tokens[from - 2].Text == "(" && (tokens[from - 3].Is("extract") || tokens[from - 3].Is("substring") || tokens[from - 3].Is("trim"))
            || from >= 2 && tokens[from - 1].Text == "(" && (tokens[from - 2].Is("trim"));
    }

    private enum TokenKind { None, Word, QuotedIdentifier, String, Number, Symbol }

    private readonly record struct Token(TokenKind Kind, string Text)
    {
        public bool Is(string word) => Kind == TokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);
    }

    private static bool Tokenize(string text, out List<Token> tokens, out string? problem)
    {
        tokens = [];
        problem = null;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '$')
            {
                problem = "Dollar quoting and positional parameters are not allowed.";
                return false;
            }
            else if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        problem = "A string literal is not closed.";
                        return false;
                    }

                    if (text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        value.Append('\'');
                        i += 2;
                    }
                    else if (text[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                tokens.Add(new Token(TokenKind.String, value.ToString()));
            }
            else if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    problem = "A quoted identifier is not closed.";
                    return false;
                }

                tokens.Add(new Token(TokenKind.QuotedIdentifier, text[(i + 1)..end]));
                i = end + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                // E'…' escape strings and U&'…' are not needed by analytics and complicate checking.
                if (i < text.Length && (text[i] == '\'' || text[i] == '&'))
                {
                    problem = "Prefixed string literals (E'…', U&'…', B'…') are not allowed.";
                    return false;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
            else if (char.IsDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, text[start..i]));
            }
            else if (c == '\\')
            {
                problem = "Backslash commands are not allowed.";
                return false;
            }
            else
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString()));
                i++;
            }
        }

        return true;
    }
}
