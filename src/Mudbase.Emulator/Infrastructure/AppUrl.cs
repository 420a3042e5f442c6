using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>URLs of the app (redirect targets, magic links), with query parameters added.</summary>
internal static class AppUrl
{
    /// <summary>
    /// Adds parameters to the query (before any fragment), keeping the URL as the app wrote it:
    /// <see cref="Uri.AbsoluteUri"/> would turn <c>myapp://callback</c> into <c>myapp://callback/</c>,
    /// which a strict deep-link match misses. A URL that is not plain, escaped ASCII is written in
    /// its escaped form instead, since a Location header cannot carry anything else.
    /// </summary>
    public static string WithQuery(Uri url, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var text = url.IsWellFormedOriginalString() && Ascii.IsValid(url.OriginalString) ? url.OriginalString : url.AbsoluteUri;
        return QueryHelpers.AddQueryString(text, parameters);
    }
}
