namespace Bulwark.Images.Sbom;

/// <summary>
/// Whether a package's licence text is an SPDX license expression (SPDX 2.3 Annex D): identifiers (letters, digits,
/// '.' and '-', optionally followed by '+'), <c>LicenseRef-…</c> and <c>DocumentRef-…:LicenseRef-…</c>, joined by
/// <c>AND</c>, <c>OR</c> and <c>WITH</c> (upper case, as the annex requires) with parentheses. Only the syntax is
/// checked: whether an identifier is on the SPDX License List needs the list, which Bulwark does not ship, so rpm's
/// old Fedora short names (<c>GPLv2+</c>) pass while <c>GPLv2+ and MIT</c> (lower-case operator) does not.
/// </summary>
public static class SpdxLicenseExpression
{
    public static bool IsValid(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var tokens = Tokenize(text);
        if (tokens is null)
        {
            return false;
        }

        var position = 0;
        return Expression(tokens, ref position) && position == tokens.Count;
    }

    // expression := and ("OR" and)* ; and := with ("AND" with)* ; with := atom ("WITH" exception)? ; atom := license | "(" expression ")"
    private static bool Expression(List<string> tokens, ref int position)
    {
        if (!And(tokens, ref position))
        {
            return false;
        }

        while (position < tokens.Count && tokens[position] == "OR")
        {
            position++;
            if (!And(tokens, ref position))
            {
                return false;
            }
        }

        return true;
    }

    private static bool And(List<string> tokens, ref int position)
    {
        if (!With(tokens, ref position))
        {
            return false;
        }

        while (position < tokens.Count && tokens[position] == "AND")
        {
            position++;
            if (!With(tokens, ref position))
            {
                return false;
            }
        }

        return true;
    }

    private static bool With(List<string> tokens, ref int position)
    {
        if (position >= tokens.Count)
        {
            return false;
        }

        if (tokens[position] == "(")
        {
            position++;
            if (!Expression(tokens, ref position) || position >= tokens.Count || tokens[position] != ")")
            {
                return false;
            }

            position++;
            return true;
        }

        if (!IsLicense(tokens[position]))
        {
            return false;
        }

        position++;
        if (position < tokens.Count && tokens[position] == "WITH")
        {
            position++;
            if (position >= tokens.Count || !IsIdString(tokens[position]) || IsOperator(tokens[position]))
            {
                return false;
            }

            position++;
        }

        return true;
    }

    private static bool IsLicense(string token)
    {
        if (IsOperator(token))
        {
            return false;
        }

        if (token.StartsWith("DocumentRef-", StringComparison.Ordinal))
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            return colon > "DocumentRef-".Length && IsIdString(token["DocumentRef-".Length..colon])
                && token[(colon + 1)..].StartsWith("LicenseRef-", StringComparison.Ordinal) && IsIdString(token[(colon + 1 + "LicenseRef-".Length)..]);
        }

        if (token.StartsWith("LicenseRef-", StringComparison.Ordinal))
        {
            return IsIdString(token["LicenseRef-".Length..]);
        }

        return IsIdString(token.EndsWith('+') ? token[..^1] : token);
    }

    private static bool IsOperator(string token) => token is "AND" or "OR" or "WITH";

    private static bool IsIdString(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');

    private static List<string>? Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (c is ' ' or '\t' or '(' or ')')
            {
                if (start >= 0)
                {
                    tokens.Add(text[start..i]);
                    start = -1;
                }

                if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                }
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or ':')
            {
                start = start < 0 ? i : start;
            }
            else
            {
                return null; // a character no expression contains (',', '/', '"', newline…)
            }
        }

        return tokens;
    }
}
