using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mudbase.Benchmarks;

// The wire shapes of /work/shared/api/CONTRACT.md, written for the hand-written baseline and plain Refit.
// Not the SDK's models: the baseline is what a user would write without the SDK. Property order follows the
// SDK's request bodies so that all three send byte-identical JSON (checked by `-- verify`).

public sealed class AnonymousBody
{
    public string? ProjectId { get; init; }
    public string? DeviceId { get; init; }
}

public sealed class RegisterBody
{
    public required string Email { get; init; }
    public required string Password { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public required string ProjectId { get; init; }
}

public sealed class WireUser
{
    public string? Id { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Role { get; init; }
    public string? CustomRole { get; init; }
    public bool? EmailVerified { get; init; }
    public bool? IsAnonymous { get; init; }
}

/// <summary>anonymous, login: 200 with a token set and the user.</summary>
public sealed class WireSession
{
    public string? Message { get; init; }
    public required string Token { get; init; }
    public required string RefreshToken { get; init; }
    public int ExpiresIn { get; init; }
    public required WireUser User { get; init; }
}

/// <summary>register: 201, tokens only when the project does not require verification.</summary>
public sealed class WireRegisterResponse
{
    public string? Message { get; init; }
    public bool? RequireVerification { get; init; }
    public string? Token { get; init; }
    public string? RefreshToken { get; init; }
    public int? ExpiresIn { get; init; }
    public WireUser? User { get; init; }
}

/// <summary>GET /api/auth/local/session: 200 {user, authenticated}.</summary>
public sealed class WireSessionInfo
{
    public WireUser? User { get; init; }
    public bool Authenticated { get; init; }
}

/// <summary>Source-generated metadata: camelCase, absent fields omitted (as the SDK's own context).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnonymousBody))]
[JsonSerializable(typeof(RegisterBody))]
[JsonSerializable(typeof(WireSession))]
[JsonSerializable(typeof(WireRegisterResponse))]
[JsonSerializable(typeof(WireSessionInfo))]
public sealed partial class BenchJsonContext : JsonSerializerContext;
