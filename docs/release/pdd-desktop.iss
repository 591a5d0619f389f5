; Inno Setup 6 script: the Windows installer of PDD Desktop (拼多多商家桌面助手).
; Not yet run: it is the recipe for the first Windows release (see README.md, "Windows").
;
;   1. On Windows with Python 3.12 (python.org, 64-bit) and Inno Setup 6:
;        py -3.12 -m venv .venv-build
;        .venv-build\Scripts\python -m pip install -e ".[build]"
;        .venv-build\Scripts\pyinstaller --noconfirm build.spec
;        dist\PDDDesktop\pdd-desktop.exe selftest
;   2. iscc /DAppVersion=0.1.0 docs\release\pdd-desktop.iss
;      -> dist\installer\PDDDesktop-0.1.0-setup.exe
;   3. Sign setup.exe (and, before step 2, the two programs) with the company's code-signing
;      certificate: signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a FILE
;
; The shop data lives in the user's AppData folder (platformdirs), not in the install folder:
; uninstalling or upgrading never touches it.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z docs\release\pdd-desktop.iss
#endif

[Setup]
; The AppId identifies the app for upgrades and uninstall: never change it.
AppId={{6B0E3D5C-7A19-4C55-9B8E-2F4C1D7A9E31}
AppName=拼多多商家桌面助手
AppVersion={#AppVersion}
AppPublisher=PDD Desktop
DefaultDirName={autopf}\PDDDesktop
DefaultGroupName=拼多多商家桌面助手
; Installs for the current user without administrator rights unless the user asks otherwise.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=PDDDesktop-{#AppVersion}-setup
SetupIconFile=..\..\build\build\app.ico
UninstallDisplayIcon={app}\PDDDesktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Closes a running copy before replacing its files (the app saves everything as it goes).
CloseApplications=yes

[Languages]
; ChineseSimplified.isl comes from Inno Setup's translations page (jrsoftware.org/files/istrans/);
; put it beside this script. English stays as the fallback for non-Chinese Windows.
Name: "zh"; MessagesFile: "ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\PDDDesktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\拼多多商家桌面助手"; Filename: "{app}\PDDDesktop.exe"
Name: "{group}\{cm:UninstallProgram,拼多多商家桌面助手}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\拼多多商家桌面助手"; Filename: "{app}\PDDDesktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\PDDDesktop.exe"; Description: "{cm:LaunchProgram,拼多多商家桌面助手}"; Flags: nowait postinstall skipifsilent
