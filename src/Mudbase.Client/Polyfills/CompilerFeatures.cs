// Attributes the C# compiler needs for init, required and caller-argument expressions.
// .NET 5 and later define them; the compiler accepts internal copies of its own.

namespace System.Runtime.CompilerServices
{
    /// <summary>Marks <c>init</c> accessors.</summary>
    internal static class IsExternalInit;

    /// <summary>Marks types and members with <c>required</c> members.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    internal sealed class RequiredMemberAttribute : Attribute;

    /// <summary>Tells older compilers that a member needs a feature they do not know (here, <c>required</c>).</summary>
    [AttributeUsage(AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    internal sealed class CompilerFeatureRequiredAttribute(string featureName) : Attribute
    {
        public string FeatureName { get; } = featureName;

        public bool IsOptional { get; init; }
    }

    /// <summary>Fills a parameter with the text of another argument's expression.</summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    internal sealed class CallerArgumentExpressionAttribute(string parameterName) : Attribute
    {
        public string ParameterName { get; } = parameterName;
    }
}
