using Mudbase.Auth;

namespace Mudbase;

/// <summary>The Mudbase client: one property per API area, like the JavaScript SDK's <c>client.auth</c>. Mock this interface in tests.</summary>
public interface IMudbaseClient
{
    /// <summary>Project-user authentication.</summary>
    IMudbaseAuth Auth { get; }
}
