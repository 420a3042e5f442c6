using System.Text.RegularExpressions;

namespace System.Text.RegularExpressions
{
    /// <summary>
    /// Marks a regex that .NET 7 and later generate at build time. .NET Framework has no generator: the methods so
    /// marked are implemented by hand below, with a compiled <see cref="Regex"/> of the same pattern.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    internal sealed class GeneratedRegexAttribute(string pattern, RegexOptions options) : Attribute
    {
        public string Pattern { get; } = pattern;

        public RegexOptions Options { get; } = options;
    }
}

namespace Mudbase
{
    internal static partial class ErrorResponseParser
    {
        private static readonly Regex SecretFieldsRegex = new(SecretFieldsPattern, SecretRegexOptions | RegexOptions.Compiled);
        private static readonly Regex OpenSecretAtEndRegex = new(OpenSecretAtEndPattern, SecretRegexOptions | RegexOptions.Compiled);

        private static partial Regex SecretFields() => SecretFieldsRegex;

        private static partial Regex OpenSecretAtEnd() => OpenSecretAtEndRegex;
    }
}
