using System.Collections.Frozen;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// The email check of Joi's <c>string().email()</c>, which the hosted service uses: a dot-atom
/// local part, a domain of at least two labels, and a real top-level domain.
/// </summary>
internal static class EmailAddress
{
    // Joi checks the TLD against the IANA list. Rather than carry a copy of that list, which would
    // go stale, refuse the names reserved never to be real TLDs (RFC 2606, 6761, 6762): the live
    // server rejects these, and tests reach for them first.
    private static readonly FrozenSet<string> ReservedTopLevelDomains =
        new[] { "test", "example", "invalid", "localhost", "local" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private const string LocalPartSymbols = "!#$%&'*+-/=?^_`{|}~";

    public static bool IsValid(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return email.Length <= 254
            && at > 0
            && at == email.LastIndexOf('@')
            && IsValidLocalPart(email[..at])
            && IsValidDomain(email[(at + 1)..]);
    }

    private static bool IsValidLocalPart(string localPart) =>
        localPart.Length <= 64
        && localPart.Split('.').All(atom => atom.Length > 0 && atom.All(c => IsLetterOrDigit(c) || LocalPartSymbols.Contains(c, StringComparison.Ordinal)));

    private static bool IsValidDomain(string domain)
    {
        var labels = domain.Split('.');
        var topLevel = labels[^1];
        return labels.Length >= 2
            && labels.All(IsValidLabel)
            && !char.IsAsciiDigit(topLevel[0])
            && !ReservedTopLevelDomains.Contains(topLevel);
    }

    private static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-'
        && label[^1] != '-'
        && label.All(c => IsLetterOrDigit(c) || c == '-');

    // Joi allows Unicode addresses by default; anything beyond ASCII passes as a letter.
    private static bool IsLetterOrDigit(char c) => char.IsAsciiLetterOrDigit(c) || c > '\u007f';
}
