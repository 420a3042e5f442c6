using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Outbox;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Source-generated serialization for every body the emulator writes: camelCase like the hosted
/// service, nulls written (the live server sends <c>customRole: null</c>), no reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(AnonymousSessionResponse))]
[JsonSerializable(typeof(RegisterPendingResponse))]
[JsonSerializable(typeof(RegisterSessionResponse))]
[JsonSerializable(typeof(RoleSignupPendingResponse))]
[JsonSerializable(typeof(RoleSignupSessionResponse))]
[JsonSerializable(typeof(SignInResponse))]
[JsonSerializable(typeof(RefreshResponse))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(OAuthProvidersResponse))]
[JsonSerializable(typeof(OutboxResponse))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The instance to write with. Its encoder escapes only what JSON requires, as the live
    /// (Node.js) server does: <c>"\"email\" is required"</c> rather than <c>"\u0022email\u0022 …"</c>.
    /// Nothing written here ends up in HTML, so the default encoder's extra escaping buys nothing.
    /// </summary>
    public static EmulatorJsonContext Wire { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
