using System.Text.Json;
using System.Text.Json.Serialization;
using Mudbase.Auth;

namespace Mudbase.Serialization;

/// <summary>
/// Every type that crosses the wire, serialized by generated code (no reflection, so trimming- and AOT-safe).
/// camelCase, absent optional fields omitted rather than sent as null, and nullability enforced on read so a
/// missing or null token is a clear error instead of a half-built session.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AnonymousRequestBody))]
[JsonSerializable(typeof(RegisterRequestBody))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(RegisterResponse))]
[JsonSerializable(typeof(MudbaseUser))]
internal sealed partial class MudbaseJsonContext : JsonSerializerContext;
