using Bulwark.Parsing.Compose;
using Xunit;

namespace Bulwark.Compose.Tests;

/// <summary>Loading behaviours (interpolation sources, extends, include, merges, reset/override, profiles, anchors) with positions.</summary>
public sealed class LoaderTests : IDisposable
{
    private readonly TempProject _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ComposeLoadOptions Env(params (string Key, string Value)[] variables) =>
        new() { Environment = variables.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) };

    [Fact]
    public void Interpolation_reads_the_process_environment_before_the_adjacent_dotenv()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: "nginx:${TAG:-latest}"
                environment:
                  - MODE=${MODE}
                  - LITERAL=$$HOME
            """);
        _dir.Write(".env", "TAG=1.25\nMODE=dotenv\n");

        var project = _dir.Load(options: Env(("MODE", "process")));

        Expect.NoErrors(project);
        var web = project.Service("web")!;
        Expect.At(web.Image, "nginx:1.25", main, 3);
        Assert.Equal(("MODE", "process"), (web.Environment[0].Name, web.Environment[0].Value));
        Assert.Equal("${MODE}", web.Environment[0].Original);
        Expect.At(web.Environment[0].Location, main, 5);
        Assert.Equal("$HOME", web.Environment[1].Value);
    }

    [Fact]
    public void Env_files_replace_the_dotenv_and_later_ones_win()
    {
        _dir.Write("compose.yaml", """
            services:
              web:
                image: "app:${TAG}-${FLAVOR:-plain}"
            """);
        _dir.Write(".env", "TAG=from-dotenv\n");
        var first = _dir.Write("one.env", "TAG=one\nFLAVOR=alpine\n");
        var second = _dir.Write("two.env", "# comment\nexport TAG=\"two\"\n");

        var project = _dir.Load(options: new ComposeLoadOptions { EnvFiles = [first, second] });

        Expect.NoErrors(project);
        Assert.Equal("app:two-alpine", project.Service("web")!.Image!.Value.Value);
    }

    [Fact]
    public void Unset_variables_are_warnings_with_their_line()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: "nginx:${TAG}"
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        Assert.Equal("nginx:", project.Service("web")!.Image!.Value.Value);
        var warning = Assert.Single(project.Warnings);
        Assert.Equal((main, 3), (warning.File, warning.Line));
        Assert.Contains("\"TAG\" variable is not set", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_variable_is_an_error_naming_file_line_and_variable_and_the_rest_loads()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: ${IMAGE:?image must be set}
                privileged: true
              db:
                image: postgres:16
            """);

        var project = _dir.Load();

        var error = Assert.Single(project.Errors);
        Assert.Equal((main, 3, 12), (error.File, error.Line, error.Column));
        Assert.Contains("required variable IMAGE is missing a value: image must be set", error.Message, StringComparison.Ordinal);
        Assert.Contains("services.web.image", error.Message, StringComparison.Ordinal);
        var web = project.Service("web")!;
        Assert.Null(web.Image);
        Expect.At(web.Privileged, true, main, 4);
        Assert.Equal("postgres:16", project.Service("db")!.Image!.Value.Value);
    }

    [Fact]
    public void Invalid_interpolation_is_an_error()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: nginx
                command: echo ${foo!}
            """);

        var error = Assert.Single(_dir.Load().Errors);
        Assert.Equal((main, 4), (error.File, error.Line));
        Assert.Contains("invalid interpolation format for services.web.command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpolated_booleans_are_cast_like_compose_go()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: nginx
                privileged: ${PRIV:-false}
                read_only: "yes"
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        Expect.At(project.Service("web")!.Privileged, false, main, 4);
        Expect.At(project.Service("web")!.ReadOnly, true, main, 5);
    }

    [Fact]
    public void Extends_in_the_same_file_keeps_the_position_of_the_base_values()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              base:
                image: alpine:3.20
                cap_drop: [ALL]
                read_only: true
              web:
                extends: base
                read_only: false
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        var web = project.Service("web")!;
        Expect.At(web.Image, "alpine:3.20", main, 3);
        Expect.At(web.CapDrop[0], "ALL", main, 4);
        Expect.At(web.ReadOnly, false, main, 8);
        Expect.At(web.Location, main, 6);
        Assert.False(web.Definition.ContainsKey("extends"));
    }

    [Fact]
    public void Extends_from_another_file_is_recursive_and_points_into_that_file()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                extends:
                  file: common/base.yaml
                  service: app
                user: "1000"
                environment:
                  MODE: web
            """);
        var base_ = _dir.Write("common/base.yaml", """
            services:
              app:
                extends:
                  service: core
                image: myapp:${TAG:-1.0}
                volumes:
                  - ./data:/data:ro
                environment:
                  - LEVEL=info
              core:
                privileged: true
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        var web = project.Service("web")!;
        Expect.At(web.Image, "myapp:1.0", base_, 5);
        Expect.At(web.Privileged, true, base_, 11);
        Expect.At(web.User, "1000", main, 6);
        var volume = Assert.Single(web.Volumes);
        Expect.At(volume.Location, base_, 7);
        Assert.Equal("./data", volume.Source);
        Assert.Equal(_dir.PathOf("common/data"), volume.ResolvedSource);
        Assert.True(volume.ReadOnly);
        Assert.Equal([("LEVEL", "info", base_, 9), ("MODE", "web", main, 8)], web.Environment.Select(e => (e.Name, e.Value, e.Location.File, e.Location.Line)));
        Assert.Contains(base_, project.Files);
        Assert.Equal(["web"], project.Services.Select(s => s.Name));
    }

    [Fact]
    public void Reset_and_override_apply_to_what_extends_inherits()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              base:
                image: base:1
                ports: ["80:80"]
                cap_add: [NET_ADMIN, SYS_TIME]
                environment:
                  TOKEN: abc
              web:
                extends: base
                ports: !reset []
                cap_add: !override [CHOWN]
                environment:
                  OTHER: x
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        var web = project.Service("web")!;
        Assert.Empty(web.Ports);
        Expect.At(Assert.Single(web.CapAdd), "CHOWN", main, 11);
        Assert.Equal(["TOKEN@7", "OTHER@13"], web.Environment.Select(e => $"{e.Name}@{e.Location.Line}"));
        Assert.Single(project.Service("base")!.Ports);
    }

    [Fact]
    public void Extends_cycles_are_errors_and_the_services_still_load()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              a:
                image: a:1
                extends: b
              b:
                image: b:1
                extends: a
              c:
                image: c:1
            """);

        var project = _dir.Load();

        var error = Assert.Single(project.Errors);
        Assert.Contains("circular extends", error.Message, StringComparison.Ordinal);
        Assert.Equal(main, error.File);
        Assert.Contains(error.Line, new[] { 4, 7 });
        Assert.Equal(["a", "b", "c"], project.Services.Select(s => s.Name));
        Assert.Equal("c:1", project.Service("c")!.Image!.Value.Value);
    }

    [Fact]
    public void Extends_cycles_across_files_are_found()
    {
        _dir.Write("compose.yaml", """
            services:
              web:
                extends: { file: other.yaml, service: x }
            """);
        _dir.Write("other.yaml", """
            services:
              x:
                extends: { file: compose.yaml, service: web }
            """);

        var project = _dir.Load();

        Assert.Contains(project.Errors, e => e.Message.Contains("circular extends", StringComparison.Ordinal));
        Assert.Single(project.Services);
    }

    [Fact]
    public void Missing_extended_file_or_service_is_an_error_at_the_extends()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: web:1
                extends:
                  file: nowhere.yaml
                  service: app
              api:
                image: api:1
                extends: ghost
            """);

        var project = _dir.Load();

        Assert.Equal(2, project.Errors.Count);
        Assert.Contains(project.Errors, e => e.File == main && e.Line == 5 && e.Message.Contains("nowhere.yaml not found", StringComparison.Ordinal));
        Assert.Contains(project.Errors, e => e.File == main && e.Line == 9 && e.Message.Contains("service \"ghost\" not found", StringComparison.Ordinal));
        Assert.Equal("web:1", project.Service("web")!.Image!.Value.Value);
        Assert.Equal("api:1", project.Service("api")!.Image!.Value.Value);
    }

    [Fact]
    public void Include_loads_other_projects_with_their_own_directory_and_dotenv()
    {
        var main = _dir.Write("compose.yaml", """
            include:
              - sub/compose.yaml
            services:
              web:
                image: web:1
                depends_on: [db]
            """);
        var sub = _dir.Write("sub/compose.yaml", """
            services:
              db:
                image: postgres:${PG_VERSION}
                volumes:
                  - ./pgdata:/var/lib/postgresql/data
            """);
        _dir.Write("sub/.env", "PG_VERSION=16\n");

        var project = _dir.Load();

        Expect.NoErrors(project);
        Assert.Equal(["web", "db"], project.Services.Select(s => s.Name));
        var db = project.Service("db")!;
        Expect.At(db.Image, "postgres:16", sub, 3);
        Expect.At(db.Location, sub, 2);
        Assert.Equal(_dir.PathOf("sub/pgdata"), db.Volumes[0].ResolvedSource);
        Expect.At(project.Service("web")!.Image, "web:1", main, 5);

        // The including project's variables win over the included project's .env.
        var overridden = _dir.Load(options: Env(("PG_VERSION", "15")));
        Assert.Equal("postgres:15", overridden.Service("db")!.Image!.Value.Value);
    }

    [Fact]
    public void Include_long_form_with_env_file_and_conflicting_service()
    {
        var main = _dir.Write("compose.yaml", """
            include:
              - path: lib/compose.yaml
                env_file: lib/settings.env
            services:
              shared:
                read_only: true
            """);
        var lib = _dir.Write("lib/compose.yaml", """
            services:
              shared:
                image: lib:${LIB_TAG}
                read_only: false
            """);
        _dir.Write("lib/settings.env", "LIB_TAG=2.0\n");

        var project = _dir.Load();

        Expect.NoErrors(project);
        var shared = Assert.Single(project.Services);
        Expect.At(shared.Image, "lib:2.0", lib, 3);
        Expect.At(shared.ReadOnly, true, main, 6);
    }

    [Fact]
    public void A_resource_included_twice_through_a_diamond_is_not_merged_onto_itself()
    {
        _dir.Write("compose.yaml", """
            include: [b/compose.yaml, c/compose.yaml]
            """);
        _dir.Write("b/compose.yaml", "include: [../d/compose.yaml]\n");
        _dir.Write("c/compose.yaml", "include: [../d/compose.yaml]\n");
        var d = _dir.Write("d/compose.yaml", """
            services:
              shared:
                image: d:1
                cap_add: [NET_ADMIN]
                ports: ["80:80"]
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        var shared = Assert.Single(project.Services);
        Expect.At(Assert.Single(shared.CapAdd), "NET_ADMIN", d, 4);
        Assert.Single(shared.Ports);
    }

    [Fact]
    public void Include_cycles_and_missing_includes_are_errors()
    {
        var main = _dir.Write("compose.yaml", """
            include:
              - a/compose.yaml
              - missing/compose.yaml
            services:
              web:
                image: web:1
            """);
        _dir.Write("a/compose.yaml", """
            include:
              - ../compose.yaml
            services:
              a:
                image: a:1
            """);

        var project = _dir.Load();

        Assert.Contains(project.Errors, e => e.File == main && e.Line == 3 && e.Message.Contains("not found", StringComparison.Ordinal));
        Assert.Contains(project.Errors, e => e.Message.Contains("include cycle", StringComparison.Ordinal));
        Assert.Equal(["web", "a"], project.Services.Select(s => s.Name));
    }

    [Fact]
    public void Documents_merge_in_order_with_reset_and_override()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              app:
                image: myapp
                ports:
                  - "8080:80"
                environment:
                  FOO: BAR
                  KEEP: "1"
                cap_add: [NET_ADMIN]
                volumes:
                  - foo:/work
            ---
            services:
              app:
                ports: !reset []
                environment:
                  FOO: !reset null
                cap_add: !override [CHOWN]
                image: myapp:2
                volumes:
                  - bar:/work
                command: ["echo", "bar"]
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        var app = project.Service("app")!;
        Assert.Empty(app.Ports);
        Assert.Equal(["KEEP"], app.Environment.Select(e => e.Name));
        Expect.At(Assert.Single(app.CapAdd), "CHOWN", main, 18);
        Expect.At(app.Image, "myapp:2", main, 19);
        var volume = Assert.Single(app.Volumes);
        Assert.Equal("bar", volume.Source);
        Expect.At(volume.Location, main, 21);
        Assert.Equal(0, app.Document);
        Expect.At(app.Location, main, 2);
    }

    [Fact]
    public void Override_files_merge_like_further_f_options()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: web:1
                command: ["echo", "foo"]
                cap_drop: [ALL]
                environment:
                  - A=1
                  - B=2
            """);
        var over = _dir.Write("compose.override.yaml", """
            services:
              web:
                command: ["echo", "bar"]
                cap_drop: [NET_RAW]
                environment:
                  B: "3"
                  C:
                security_opt: !override
                  - no-new-privileges:true
            """);

        var project = _dir.Load(options: new ComposeLoadOptions { OverrideFiles = [over] });

        Expect.NoErrors(project);
        var web = project.Service("web")!;
        Assert.Equal(["echo", "bar"], ((ComposeSequence)web.Definition["command"]!).Items.Select(i => ((ComposeScalar)i).Value));
        Assert.Equal(["ALL", "NET_RAW"], web.CapDrop.Select(c => c.Value));
        Assert.Equal(["A=1@7", "B=3@6", "C=@7"], web.Environment.Select(e => $"{e.Name}={e.Value}@{e.Location.Line}"));
        Assert.Equal(main, web.Environment[0].Location.File);
        Assert.Equal(over, web.Environment[1].Location.File);
        Assert.Null(web.Environment[2].Value);
        Expect.At(web.Location, main, 2);
        Expect.At(web.SecurityOpt[0].Location, over, 9);
    }

    [Fact]
    public void Profiles_disable_services_but_keep_them_listed()
    {
        _dir.Write("compose.yaml", """
            services:
              foo: {image: foo}
              bar: {image: bar, profiles: [test]}
              zot: {image: zot, profiles: [debug]}
            """);

        var none = _dir.Load();
        Assert.Equal(["foo", "bar", "zot"], none.Services.Select(s => s.Name));
        Assert.Equal(["foo"], none.ActiveServices.Select(s => s.Name));

        var test = _dir.Load(options: new ComposeLoadOptions { Profiles = ["test"] });
        Assert.Equal(["foo", "bar"], test.ActiveServices.Select(s => s.Name));

        var all = _dir.Load(options: new ComposeLoadOptions { Profiles = ["*"] });
        Assert.Equal(3, all.ActiveServices.Count());

        var fromEnv = _dir.Load(options: Env(("COMPOSE_PROFILES", "debug,test")));
        Assert.Equal(3, fromEnv.ActiveServices.Count());
        Assert.Equal(["debug", "test"], fromEnv.ActiveProfiles);
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_point_at_the_anchor_and_x_fields_are_ignored()
    {
        var main = _dir.Write("compose.yaml", """
            x-common: &common
              cap_drop: [ALL]
              security_opt:
                - no-new-privileges:true
            x-env: &env
              LOG_LEVEL: info
            services:
              a:
                <<: *common
                image: a:1
                environment: *env
              b:
                image: b:1
                x-note: not a setting
                environment:
                  <<: *env
                  EXTRA: "1"
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        Assert.Empty(project.Warnings);
        Assert.Equal(["a", "b"], project.Services.Select(s => s.Name));
        var a = project.Service("a")!;
        Expect.At(a.CapDrop[0], "ALL", main, 2);
        Expect.At(a.SecurityOpt[0].Location, main, 4);
        Expect.At(a.Environment[0].Location, main, 6);
        Expect.At(a.EnvironmentLocation!.Value, main, 11);
        var b = project.Service("b")!;
        Assert.Equal(["EXTRA@17", "LOG_LEVEL@6"], b.Environment.Select(e => $"{e.Name}@{e.Location.Line}"));
    }

    [Fact]
    public void Anchors_do_not_cross_files()
    {
        _dir.Write("compose.yaml", """
            x-common: &common
              privileged: true
            services:
              web:
                image: web:1
            """);
        var over = _dir.Write("compose.override.yaml", """
            services:
              web:
                <<: *common
            """);

        var project = _dir.Load(options: new ComposeLoadOptions { OverrideFiles = [over] });

        var error = Assert.Single(project.Errors);
        Assert.Equal(over, error.File);
        Assert.Contains("alias", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(project.Service("web")!.Privileged);
    }

    [Fact]
    public void Wrong_types_are_errors_at_the_value_and_the_rest_of_the_service_loads()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: nginx:1.27
                privileged: "maybe"
                cap_add: 5
                read_only: [true]
                environment: 12
                volumes:
                  - /foo::rw
                ports:
                  - "not-a-port"
                cap_drop: [ALL]
            """);

        var project = _dir.Load();

        Assert.Equal([4, 5, 6, 7, 9, 11], project.Errors.Select(e => e.Line).Order());
        Assert.All(project.Errors, e => Assert.Equal(main, e.File));
        Assert.Contains(project.Errors, e => e.Line == 4 && e.Message.Contains("services.web.privileged must be a boolean", StringComparison.Ordinal) && e.Message.Contains("maybe", StringComparison.Ordinal));
        Assert.Contains(project.Errors, e => e.Line == 5 && e.Message.Contains("services.web.cap_add must be a list", StringComparison.Ordinal));
        var web = project.Service("web")!;
        Assert.Null(web.Privileged);
        Assert.Empty(web.CapAdd);
        Expect.At(web.Image, "nginx:1.27", main, 3);
        Expect.At(web.CapDrop[0], "ALL", main, 12);
    }

    [Fact]
    public void Invalid_yaml_is_an_error_with_its_line_and_earlier_documents_still_load()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: web:1
            ---
            services:
              api:
                image: [unclosed
            """);

        var project = _dir.Load();

        var error = Assert.Single(project.Errors);
        Assert.Equal(main, error.File);
        Assert.True(error.Line >= 7, error.ToString());
        Assert.Contains("YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal(["web"], project.Services.Select(s => s.Name));
    }

    [Fact]
    public void Structural_errors_are_reported()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web: "not a mapping"
              ok:
                image: ok:1
            """);

        var project = _dir.Load();

        var error = Assert.Single(project.Errors);
        Assert.Equal((main, 2), (error.File, error.Line));
        Assert.Equal(["ok"], project.Services.Select(s => s.Name));

        _dir.Write("list.yaml", "- just\n- a list\n");
        Assert.Contains("must be a mapping", Assert.Single(_dir.Load("list.yaml").Errors).Message, StringComparison.Ordinal);

        var missing = ComposeLoader.Load(_dir.PathOf("nothing-here.yaml"));
        Assert.Contains("cannot read file", Assert.Single(missing.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_are_warnings()
    {
        var main = _dir.Write("compose.yaml", """
            services:
              web:
                image: web:1
                priviledged: true
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        var warning = Assert.Single(project.Warnings);
        Assert.Equal((main, 4), (warning.File, warning.Line));
    }

    [Fact]
    public void Service_env_files_are_read_and_located_in_the_env_file()
    {
        _dir.Write("compose.yaml", """
            services:
              web:
                image: web:1
                env_file:
                  - app.env
                  - path: optional.env
                    required: false
                  - gone.env
            """);
        var envFile = _dir.Write("app.env", "# settings\nDB_PASSWORD=hunter2\nGREETING=\"hello ${WHO:-world}\"\n");

        var project = _dir.Load();

        Expect.NoErrors(project);
        var web = project.Service("web")!;
        Assert.Equal(3, web.EnvFiles.Count);
        Assert.False(web.EnvFiles[1].Required);
        Assert.Equal(["DB_PASSWORD=hunter2@2", "GREETING=hello world@3"], web.EnvFileVariables.Select(v => $"{v.Name}={v.Value}@{v.Location.Line}"));
        Assert.All(web.EnvFileVariables, v => Assert.Equal(envFile, v.Location.File));
        Assert.Contains(project.Warnings, w => w.Message.Contains("gone.env", StringComparison.Ordinal));
        Assert.DoesNotContain(project.Warnings, w => w.Message.Contains("optional.env", StringComparison.Ordinal));
    }

    [Fact]
    public void Relative_main_paths_give_relative_file_names()
    {
        _dir.Write("proj/compose.yaml", """
            services:
              web:
                extends: { file: ../common/base.yaml, service: base }
            """);
        _dir.Write("common/base.yaml", """
            services:
              base:
                image: base:1
            """);

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _dir.PathOf("proj/compose.yaml"));
        var project = ComposeLoader.Load(relative);

        Expect.NoErrors(project);
        var image = project.Service("web")!.Image!.Value;
        Assert.Equal(Path.GetFullPath(_dir.PathOf("common/base.yaml")), Path.GetFullPath(image.Location.File));
        Assert.False(Path.IsPathRooted(image.Location.File));
        Assert.Equal(relative, project.MainFile);
    }

    [Fact]
    public void A_main_file_already_read_is_not_read_again()
    {
        var main = _dir.Write("compose.yaml", "services:\n  web:\n    image: on-disk\n");
        var parsed = Bulwark.TestSupport.TestScans.Parse("services:\n  web:\n    image: in-memory\n", main);

        var project = ComposeLoader.Load(parsed);

        Expect.NoErrors(project);
        Expect.At(project.Service("web")!.Image, "in-memory", main, 3);
        Assert.Equal([main], project.Files);
    }

    [Fact]
    public void Top_level_secrets_and_project_name()
    {
        _dir.Write("compose.yaml", """
            name: shop-${STAGE:-dev}
            services:
              web:
                image: web:1
                secrets:
                  - db_password
                  - source: api_key
                    target: /etc/api.key
            secrets:
              db_password:
                file: ./db_password.txt
              api_key:
                environment: API_KEY
            """);

        var project = _dir.Load();

        Expect.NoErrors(project);
        Assert.Equal("shop-dev", project.Name);
        Assert.Equal(["db_password:./db_password.txt", "api_key:API_KEY"], project.Secrets.Select(s => $"{s.Name}:{s.File?.Value ?? s.Environment?.Value}"));
        Assert.Equal(["/run/secrets/db_password", "/etc/api.key"], project.Service("web")!.Secrets.Select(s => s.MountPath));
    }
}
