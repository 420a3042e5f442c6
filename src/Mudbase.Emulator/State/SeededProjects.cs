namespace Mudbase.Emulator.State;

/// <summary>
/// The projects every emulator starts with. Their ids are fixed across runs so that docs, samples
/// and tests can name them.
/// </summary>
internal static class SeededProjects
{
    /// <summary>The id the published docs use; email verification on, the hosted default.</summary>
    public const string DefaultProjectId = "685ad30be129932fbb7a1047";

    public const string NoVerificationProjectId = "685ad30be129932fbb7a1048";

    public static void AddTo(EmulatorStore store, DateTimeOffset now)
    {
        store.AddProject(new Project(DefaultProjectId, "Default project", RequireEmailVerification: true, now));
        store.AddProject(new Project(NoVerificationProjectId, "No-verification project", RequireEmailVerification: false, now));
    }
}
