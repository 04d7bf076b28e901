// Fixture cmdlets for tests/Pester/Help.Tests.ps1: compiled with Add-Type into HelpFixture.dll, given
// help built by HelpGen from the *.md beside this file. Get/Set have complete help; Remove's help
// omits -Force; Clear has no help file at all. The help-completeness check must flag exactly those.
using System.Management.Automation;

namespace HelpFixture
{
    [Cmdlet(VerbsCommon.Get, "HelpFixture", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(string))]
    public sealed class GetHelpFixtureCommand : PSCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("n")]
        [SupportsWildcards]
        public string[] Name { get; set; }

        [Parameter(ParameterSetName = "ByInterface", Mandatory = true)]
        public string Interface { get; set; }

        [Parameter(ParameterSetName = "ByInterface")]
        [ValidateSet("Backup", "Master")]
        public string State { get; set; }

        [Parameter]
        public SwitchParameter Detailed { get; set; }

        protected override void ProcessRecord() => WriteObject(ParameterSetName);
    }

    [Cmdlet(VerbsCommon.Set, "HelpFixture", SupportsShouldProcess = true)]
    public sealed class SetHelpFixtureCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public string Name { get; set; }

        [Parameter]
        public int Priority { get; set; } = 100;

        protected override void ProcessRecord()
        {
            if (ShouldProcess(Name, "Set priority")) { WriteObject(Priority); }
        }
    }

    [Cmdlet(VerbsCommon.Remove, "HelpFixture")]
    public sealed class RemoveHelpFixtureCommand : PSCmdlet
    {
        [Parameter(Mandatory = true)]
        public string Name { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }
    }

    [Cmdlet(VerbsCommon.Clear, "HelpFixture")]
    public sealed class ClearHelpFixtureCommand : PSCmdlet
    {
        [Parameter]
        public string Name { get; set; }
    }
}
