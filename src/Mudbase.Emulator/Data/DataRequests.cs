using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Data;

/// <summary>The first steps of every data and collection request, and the answers they share.</summary>
internal sealed class DataRequests(EmulatorStore store, DataState data, DataAuthenticator authenticator)
{
    public DataState Data => data;

    /// <summary>The project (400 malformed, 404 unknown), then the credential (401, or 403 for another project's user).</summary>
    public bool TryBegin(
        HttpRequest request,
        string projectId,
        [NotNullWhen(true)] out Project? project,
        [NotNullWhen(true)] out DataCaller? caller,
        [NotNullWhen(false)] out IResult? error)
    {
        caller = null;
        return ProjectLookup.TryFind(store, projectId, out project, out error)
            && authenticator.TryAuthenticate(request, project, out caller, out error);
    }

    /// <summary>As the overload above, and then the collection (404).</summary>
    public bool TryBegin(
        HttpRequest request,
        string projectId,
        string collectionReference,
        [NotNullWhen(true)] out CollectionSchema? collection,
        [NotNullWhen(true)] out DataCaller? caller,
        [NotNullWhen(false)] out IResult? error)
    {
        collection = null;
        if (!TryBegin(request, projectId, out var project, out caller, out error))
        {
            return false;
        }

        collection = data.FindCollection(project.Id, collectionReference);
        error = collection is null ? CollectionNotFound() : null;
        return collection is not null;
    }

    public static IResult CollectionNotFound() => ErrorResults.NotFound("Collection not found");

    public static IResult DocumentNotFound() => ErrorResults.NotFound("Document not found");

    /// <summary>A query the filter sanitizer refuses: 400 with its message.</summary>
    public static IResult InvalidQuery(InvalidQueryException exception) => ErrorResults.BadRequest(exception.Message);

    /// <summary>409 <c>{error, code:"duplicate_key", field, value}</c>.</summary>
    public static IResult Duplicate(string field, JsonElement value) => JsonAnswer.Write(StatusCodes.Status409Conflict, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error", $"Duplicate value for unique field \"{field}\"");
        writer.WriteString("code", "duplicate_key");
        writer.WriteString("field", field);
        writer.WritePropertyName("value");
        value.WriteTo(writer);
        writer.WriteEndObject();
    });

    /// <summary>
    /// The check of an org call (schema writes): the API key passes; a project user gets the live 403,
    /// <c>{"required":["owner","admin","developer"],"current":"viewer"}</c> (no <c>error</c> key); nobody gets 401.
    /// </summary>
    public static IResult? RequireOrgRole(DataCaller caller) => caller switch
    {
        DataCaller.Key => null,
        DataCaller.User user => JsonAnswer.Write(StatusCodes.Status403Forbidden, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("required");
            writer.WriteStringValue("owner");
            writer.WriteStringValue("admin");
            writer.WriteStringValue("developer");
            writer.WriteEndArray();
            writer.WriteString("current", user.Account.Role);
            writer.WriteEndObject();
        }),
        _ => ErrorResults.Unauthorized("Authentication required"),
    };

    /// <summary><c>{message, data}</c>, the answer of a document write.</summary>
    public static IResult MessageAndDocument(int statusCode, string message, JsonElement document) => JsonAnswer.Write(statusCode, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WritePropertyName("data");
        document.WriteTo(writer);
        writer.WriteEndObject();
    });

    public static IResult Message(string message) => JsonAnswer.Write(StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteEndObject();
    });

    /// <summary>The answer to a write that did not happen.</summary>
    public static IResult Failed(WriteOutcome outcome) => outcome.Status switch
    {
        WriteStatus.CollectionNotFound => CollectionNotFound(),
        WriteStatus.DocumentNotFound => DocumentNotFound(),
        WriteStatus.Duplicate => Duplicate(outcome.DuplicateField!, outcome.DuplicateValue),
        _ => outcome.Refusal!,
    };
}
