; Inno Setup script for the Windows installer of netviz (run by .github/workflows/release.yml):
;
;   ISCC.exe /DAppVersion=0.1.0 /DBundleDir=..\build\packaging\dist\netviz /DIconFile=..\build\icons\netviz.ico ^
;            /DOutputDir=..\dist packaging\netviz.iss
;
; AppVersion comes from netviz/__init__.py (the one version string); the bundle is PyInstaller's
; one-folder output of packaging/netviz.spec. Installs per user by default (no admin needed on lab
; machines where teachers lack it), or for all users when run elevated; adds a Start-menu entry
; and an uninstaller.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (from netviz/__init__.py)
#endif
#ifndef BundleDir
  #define BundleDir "..\build\packaging\dist\netviz"
#endif
#ifndef IconFile
  #define IconFile "..\build\icons\netviz.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

[Setup]
AppId={{6E0F5B0C-6C57-4F4B-9C55-0B7A3C1E2D41}
AppName=netviz
AppVersion={#AppVersion}
AppVerName=netviz {#AppVersion}
AppPublisher=The netviz developers
DefaultDirName={autopf}\netviz
DefaultGroupName=netviz
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=netviz-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\netviz.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\netviz"; Filename: "{app}\netviz.exe"; Comment: "See backpropagation, one number at a time"
Name: "{autodesktop}\netviz"; Filename: "{app}\netviz.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\netviz.exe"; Description: "{cm:LaunchProgram,netviz}"; Flags: nowait postinstall skipifsilent
