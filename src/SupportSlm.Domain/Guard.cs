namespace SupportSlm.Domain;

/// <summary>Argument checks that throw <see cref="DomainException"/> so invariant failures are one exception type.</summary>
internal static class Guard
{
    public static string NotBlank(string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException($"{what} must not be empty.");
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException($"{what} must be at most {maxLength} characters (was {trimmed.Length}).");
        return trimmed;
    }

    public static string? Optional(string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return NotBlank(value, what, maxLength);
    }

    public static string Slug(string? value, string what)
    {
        var slug = NotBlank(value, what, 64);
        foreach (var c in slug)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
                throw new DomainException($"{what} '{slug}' may contain only lower-case letters, digits, '-' and '_'.");
        }
        return slug;
    }

    public static string Sha256Hex(string? value, string what)
    {
        if (value is null || value.Length != 64 || !value.All(char.IsAsciiHexDigitLower))
            throw new DomainException($"{what} must be a lower-case hex SHA-256 (64 characters).");
        return value;
    }

    public static double InRange(double value, double min, double max, string what)
    {
        if (double.IsNaN(value) || value < min || value > max)
            throw new DomainException($"{what} must be between {min} and {max} (was {value}).");
        return value;
    }

    public static int InRange(int value, int min, int max, string what)
    {
        if (value < min || value > max)
            throw new DomainException($"{what} must be between {min} and {max} (was {value}).");
        return value;
    }
}
