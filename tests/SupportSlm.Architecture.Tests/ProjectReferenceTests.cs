namespace SupportSlm.Architecture.Tests;

public sealed class ProjectReferenceTests
{
    private static readonly ReferenceRules Rules =
        ReferenceRules.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "architecture.md")));

    [Fact]
    public void Every_project_reference_is_allowed_by_docs_architecture_md()
    {
        var violations = Rules.Violations(ProjectGraph.Load(RepositoryRoot.Path));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_src_project_has_a_test_project()
    {
        var tests = ProjectGraph.Names(RepositoryRoot.Path, "tests").ToHashSet();
        Assert.Empty(Rules.Untested(ProjectGraph.Names(RepositoryRoot.Path, "src"), tests));
    }

    [Fact]
    public void Every_project_is_in_the_solution()
    {
        var sln = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "SupportSlm.sln"));
        var missing = ProjectGraph.Names(RepositoryRoot.Path, "src").Concat(ProjectGraph.Names(RepositoryRoot.Path, "tests"))
            .Where(p => !sln.Contains($"\"{p}\"", StringComparison.Ordinal));
        Assert.Empty(missing);
    }

    // The checks above must be able to fail: feed them graphs that break the table.

    [Theory]
    [InlineData("SupportSlm.Domain", "SupportSlm.Persistence")]
    [InlineData("SupportSlm.Persistence", "SupportSlm.Host")]
    [InlineData("SupportSlm.Inference", "SupportSlm.Training")]
    [InlineData("SupportSlm.Host", "SupportSlm.Cli")]
    [InlineData("SupportSlm.Domain.Tests", "SupportSlm.Persistence")]
    public void A_forbidden_reference_is_reported(string project, string reference)
    {
        var graph = new Dictionary<string, IReadOnlyList<string>> { [project] = [reference] };
        Assert.Equal([$"{project} must not reference {reference}."], Rules.Violations(graph));
    }

    [Fact]
    public void A_project_missing_from_the_table_is_reported()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>> { ["SupportSlm.Rogue"] = [] };
        Assert.Contains("SupportSlm.Rogue is not in the allowed-references table", Assert.Single(Rules.Violations(graph)));
    }

    [Fact]
    public void Allowed_references_pass_including_a_tests_subjects_closure_and_the_composition_roots()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["SupportSlm.Migrations.Sqlite"] = ["SupportSlm.Persistence"],
            ["SupportSlm.Migrations.Sqlite.Tests"] = ["SupportSlm.Migrations.Sqlite", "SupportSlm.Domain"],
            ["SupportSlm.Host"] = ["SupportSlm.Persistence", "SupportSlm.Onnx"],
        };
        Assert.Empty(Rules.Violations(graph));
    }

    [Fact]
    public void A_src_project_without_tests_is_reported() =>
        Assert.Equal(["SupportSlm.Domain"], Rules.Untested(["SupportSlm.Domain", "SupportSlm.Migrations.Sqlite"],
            new HashSet<string> { "SupportSlm.Persistence.Tests" }));
}
