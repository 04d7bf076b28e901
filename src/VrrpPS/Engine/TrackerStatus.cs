namespace VrrpPS.Engine;

public enum TrackerStatus { Unknown, Ok, Failed }
