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
[JsonSerializable(typeof(LoginRequestBody))]
[JsonSerializable(typeof(RefreshRequestBody))]
[JsonSerializable(typeof(ConvertRequestBody))]
[JsonSerializable(typeof(VerifyEmailRequestBody))]
[JsonSerializable(typeof(EmailProjectRequestBody))]
[JsonSerializable(typeof(ConfirmPasswordResetRequestBody))]
[JsonSerializable(typeof(ResetPasswordRequestBody))]
[JsonSerializable(typeof(SendMagicLinkRequestBody))]
[JsonSerializable(typeof(TokenRequestBody))]
[JsonSerializable(typeof(SendOtpRequestBody))]
[JsonSerializable(typeof(VerifyOtpRequestBody))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(RefreshResponse))]
[JsonSerializable(typeof(RegisterResponse))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(SessionInfoResponse))]
[JsonSerializable(typeof(OAuthProvidersResponse))]
[JsonSerializable(typeof(MudbaseUser))]
[JsonSerializable(typeof(AuthSession))]
[JsonSerializable(typeof(Data.PaginationWire))]
[JsonSerializable(typeof(Collections.CollectionListAnswer))]
[JsonSerializable(typeof(Collections.CollectionAnswer))]
[JsonSerializable(typeof(Collections.CollectionBody))]
[JsonSerializable(typeof(Functions.FunctionListAnswer))]
[JsonSerializable(typeof(Functions.FunctionAnswer))]
[JsonSerializable(typeof(Functions.ExecutionAnswer))]
[JsonSerializable(typeof(Functions.ExecuteBody))]
[JsonSerializable(typeof(Storage.DownloadSignAnswer))]
[JsonSerializable(typeof(Storage.FileWire))]
[JsonSerializable(typeof(Storage.BucketListAnswer))]
[JsonSerializable(typeof(Storage.FileListAnswer))]
[JsonSerializable(typeof(Storage.BucketAnswer))]
[JsonSerializable(typeof(Storage.SignedUrlAnswer))]
[JsonSerializable(typeof(Storage.PresignAnswer))]
[JsonSerializable(typeof(Storage.ConfirmAnswer))]
[JsonSerializable(typeof(Storage.BucketBody))]
[JsonSerializable(typeof(Storage.SignedUrlBody))]
[JsonSerializable(typeof(Storage.PresignBody))]
[JsonSerializable(typeof(Storage.ConfirmBody))]
[JsonSerializable(typeof(Users.UserAnswer))]
[JsonSerializable(typeof(Users.UpdateProfileBody))]
[JsonSerializable(typeof(Users.ChangePasswordBody))]
[JsonSerializable(typeof(Users.ChangePasswordAnswer))]
[JsonSerializable(typeof(Users.TwoFactorCodeBody))]
[JsonSerializable(typeof(Users.DisableTwoFactorBody))]
[JsonSerializable(typeof(Users.TwoFactorSetupAnswer))]
[JsonSerializable(typeof(Users.EraseAccountBody))]
[JsonSerializable(typeof(Users.EraseAccountAnswer))]
[JsonSerializable(typeof(Users.LinkedProvidersAnswer))]
[JsonSerializable(typeof(Search.SearchAnswer))]
[JsonSerializable(typeof(Search.SuggestionsAnswer))]
[JsonSerializable(typeof(Roles.AvailableRolesAnswer))]
[JsonSerializable(typeof(Roles.RoleConfigurationAnswer))]
[JsonSerializable(typeof(Roles.PermissionsMatrixAnswer))]
[JsonSerializable(typeof(Roles.ElevationRequestBody))]
[JsonSerializable(typeof(Roles.ElevationAnswer))]
[JsonSerializable(typeof(Roles.ElevationStatusAnswer))]
[JsonSerializable(typeof(Roles.ElevationDocumentsBody))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
internal sealed partial class MudbaseJsonContext : JsonSerializerContext;
