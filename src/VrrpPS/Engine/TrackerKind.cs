namespace VrrpPS.Engine;

public enum TrackerKind { Script, ScriptBlock, Interface, File, Process }
