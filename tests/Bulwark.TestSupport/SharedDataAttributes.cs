using Xunit;

namespace Bulwark.TestSupport;

/// <summary>
/// A fact that reads the shared test data: skipped, with <see cref="RepositoryPaths.SharedSkipReason"/>, on a checkout
/// without it (a fresh clone must pass its own tests), run and failed when <c>BULWARK_REQUIRE_SHARED=1</c>.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute() => Skip = RepositoryPaths.SharedSkipReason;
}

/// <summary>
/// A theory that reads the shared test data, in its cases or its member data. Skipped as a whole when the data is
/// absent: xunit does not enumerate the data of a skipped theory, so a data source that lists shared files is never run.
/// </summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute() => Skip = RepositoryPaths.SharedSkipReason;
}
