using System.Diagnostics.CodeAnalysis;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>The project check every public auth endpoint makes, with the live messages.</summary>
internal static class ProjectLookup
{
    /// <summary>Finds the project, or gives the answer to send: a malformed id is 400, an unknown one 404.</summary>
    public static bool TryFind(
        EmulatorStore store,
        string projectId,
        [NotNullWhen(true)] out Project? project,
        [NotNullWhen(false)] out IResult? error)
    {
        project = null;
        if (!ObjectIdGenerator.IsValid(projectId))
        {
            error = ErrorResults.BadRequest("Invalid project ID format");
            return false;
        }

        // Ids are generated in lower case; hex means the same in either case.
        project = store.FindProject(projectId.ToLowerInvariant());
        error = project is null ? ErrorResults.NotFound("Project not found") : null;
        return project is not null;
    }
}
