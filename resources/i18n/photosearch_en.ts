<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DuplicatesView</name>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="46"/>
        <source>Exact copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="47"/>
        <source>Same picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="48"/>
        <source>Near-duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="70"/>
        <source>Move to trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="71"/>
        <source>Move %Ln files to the trash? Each group keeps the photo marked Keep; the files can be restored from the trash.</source>
        <translation>
            <numerusform>Move %Ln file to the trash? Each group keeps the photo marked Keep; the files can be restored from the trash.</numerusform>
            <numerusform>Move %Ln files to the trash? Each group keeps the photo marked Keep; the files can be restored from the trash.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="91"/>
        <location filename="../../photosearch/gui/duplicates_view.py" line="206"/>
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln photo</numerusform>
            <numerusform>%Ln photos</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="112"/>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="150"/>
        <source>Near-duplicate similarity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="161"/>
        <source>Move others to trash…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="180"/>
        <location filename="../../photosearch/gui/duplicates_view.py" line="258"/>
        <source>Failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="190"/>
        <source>Looking for duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="206"/>
        <location filename="../../photosearch/gui/duplicates_view.py" line="236"/>
        <source>%Ln groups</source>
        <translation>
            <numerusform>%Ln group</numerusform>
            <numerusform>%Ln groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="237"/>
        <source>%Ln extra copies</source>
        <translation>
            <numerusform>%Ln extra copy</numerusform>
            <numerusform>%Ln extra copies</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="238"/>
        <source>No duplicates found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="261"/>
        <source>Moved %Ln files to {place}; restore them from there.</source>
        <translation>
            <numerusform>Moved %Ln file to {place}; restore them from there.</numerusform>
            <numerusform>Moved %Ln files to {place}; restore them from there.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="263"/>
        <source>Nothing moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="265"/>
        <source>%Ln could not be moved:</source>
        <translation>
            <numerusform>%Ln could not be moved:</numerusform>
            <numerusform>%Ln could not be moved:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="269"/>
        <source>%Ln groups left alone:</source>
        <translation>
            <numerusform>%Ln group left alone:</numerusform>
            <numerusform>%Ln groups left alone:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="294"/>
        <source>Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="297"/>
        <source>Hide duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/duplicates_view.py" line="358"/>
        <source>Hide copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/duplicates_view.py" line="362"/>
        <source>Show %Ln copies</source>
        <translation>
            <numerusform>Show %Ln copy</numerusform>
            <numerusform>Show %Ln copies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderActions</name>
    <message>
        <location filename="../../photosearch/gui/folder_actions.py" line="98"/>
        <source>Added {folders}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/folder_actions.py" line="109"/>
        <source>Removed {folder} from the library (%Ln photos; files untouched)</source>
        <translation>
            <numerusform>Removed {folder} from the library (%Ln photo; files untouched)</numerusform>
            <numerusform>Removed {folder} from the library (%Ln photos; files untouched)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <location filename="../../photosearch/gui/folders_panel.py" line="39"/>
        <source>its %Ln photos</source>
        <translation>
            <numerusform>its %Ln photo</numerusform>
            <numerusform>its %Ln photos</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="40"/>
        <source>its photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="43"/>
        <source>Remove folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="44"/>
        <source>Remove “{name}” from the library?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="45"/>
        <source>The library forgets {what}: search results, tags and duplicate groups. The files on disk are not touched; add the folder again to bring them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="50"/>
        <location filename="../../photosearch/gui/folders_panel.py" line="75"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="51"/>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="64"/>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="73"/>
        <source>Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="76"/>
        <source>Forget this folder (the files stay on disk)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="86"/>
        <source>Drop folders here, or add them with the button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="101"/>
        <source>All folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="154"/>
        <source>scanning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/folders_panel.py" line="159"/>
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln indexed</numerusform>
            <numerusform>%Ln indexed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/folders_panel.py" line="161"/>
        <source>%Ln unreadable</source>
        <translation>
            <numerusform>%Ln unreadable</numerusform>
            <numerusform>%Ln unreadable</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="164"/>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/folders_panel.py" line="165"/>
        <source>Offline: the folder cannot be reached; its photos are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/folders_panel.py" line="176"/>
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln photo</numerusform>
            <numerusform>%Ln photos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Indexer</name>
    <message>
        <location filename="../../photosearch/gui/indexing.py" line="294"/>
        <source>Indexing stopped: {error}. Details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IndexingStatus</name>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="32"/>
        <location filename="../../photosearch/gui/indexing_status.py" line="135"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="38"/>
        <location filename="../../photosearch/gui/indexing_status.py" line="108"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="82"/>
        <source>Scanned; indexing starts when the model is available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="87"/>
        <source>offline: {folders}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/indexing_status.py" line="91"/>
        <source>%Ln unreadable (see the folder&apos;s details)</source>
        <translation>
            <numerusform>%Ln unreadable (see the folder&apos;s details)</numerusform>
            <numerusform>%Ln unreadable (see the folder&apos;s details)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/indexing_status.py" line="94"/>
        <source>%Ln could not be read now, tried again next time</source>
        <translation>
            <numerusform>%Ln could not be read now, tried again next time</numerusform>
            <numerusform>%Ln could not be read now, tried again next time</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="96"/>
        <source>Up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="108"/>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="141"/>
        <source>No search model: see the note above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="133"/>
        <source>Model: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="127"/>
        <source>Loading the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="117"/>
        <source>Paused · {done} / {total} indexed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="119"/>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/indexing_status.py" line="139"/>
        <source>Model: not available</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="61"/>
        <source>photosearch: the library is damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="65"/>
        <source>A backup can replace it: {backup}. The damaged file is kept aside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="68"/>
        <source>Restore the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="71"/>
        <source>There is no backup of it. An empty catalog can replace it (the damaged file is kept aside); the folders must then be indexed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="75"/>
        <source>Start an empty catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="77"/>
        <location filename="../../photosearch/gui/library_dialog.py" line="94"/>
        <source>Open a different library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="79"/>
        <location filename="../../photosearch/gui/library_dialog.py" line="96"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/library_dialog.py" line="92"/>
        <source>The library cannot be opened:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../photosearch/gui/main_window.py" line="121"/>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/main_window.py" line="200"/>
        <source>Type what you are looking for, or drop a photo on the search box to find ones like it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/main_window.py" line="204"/>
        <source>Welcome to photosearch.

1. Add folders of photos: File ▸ Add folder… (Ctrl+O), or drop them here.
2. photosearch indexes them in the background; the status bar shows how far it is.
3. Type what you remember (“red car at the beach”), or drop a photo on the search box to find ones like it.

Your photos stay where they are. The library (catalog, search index, thumbnails) lives in {root}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="27"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="29"/>
        <source>&amp;Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="31"/>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="35"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="37"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="38"/>
        <source>&amp;Hide duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="46"/>
        <source>Hide &amp;near-duplicates too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="49"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="50"/>
        <source>&amp;About photosearch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="56"/>
        <source>Add a folder of photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="73"/>
        <source>not loaded ({model})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="75"/>
        <source>&lt;h3&gt;photosearch {version}&lt;/h3&gt;&lt;p&gt;Find photos on your computer by describing them. Everything stays on this computer.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Model:&lt;/b&gt; {model}&lt;br&gt;&lt;b&gt;Library:&lt;/b&gt; {library}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Licences:&lt;/b&gt; photosearch — MIT. The tag vocabulary is derived from the Recognize Anything tag list — Apache-2.0. The OpenCLIP code — MIT; model weights are under their authors&apos; licences (the LAION CLIP models: MIT), see each model&apos;s page on Hugging Face.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/menus.py" line="89"/>
        <source>About photosearch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelBanner</name>
    <message>
        <location filename="../../photosearch/gui/banner.py" line="52"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/banner.py" line="54"/>
        <source>Open download page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/banner.py" line="56"/>
        <source>Choose weights file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/banner.py" line="58"/>
        <source>Choose model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/banner.py" line="60"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/banner.py" line="83"/>
        <source>The search model is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/banner.py" line="86"/>
        <source>Its weights file is not on this computer. Download it from the page below, then choose it with “Choose weights file…”. Folders can still be added and scanned; searching starts once a model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelMenu</name>
    <message>
        <location filename="../../photosearch/gui/model_menu.py" line="43"/>
        <source>Choose the model&apos;s weights file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/model_menu.py" line="44"/>
        <source>Model weights (*.safetensors *.bin *.pt *.pth);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/model_menu.py" line="60"/>
        <source>Choose a model folder (open_clip_config.json and weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/model_menu.py" line="74"/>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/model_menu.py" line="84"/>
        <source>Choose weights file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/model_menu.py" line="86"/>
        <source>Choose model folder…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoTagsWidget</name>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="106"/>
        <source>Tags:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="116"/>
        <source>add a tag…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="40"/>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="42"/>
        <source>As the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="50"/>
        <source>Chosen file or folder: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="54"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="63"/>
        <source>How alike two photos must be to count as near-duplicates (cosine similarity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="66"/>
        <source>One word or phrase a line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="68"/>
        <source>Follow changes in the folders while the app runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="70"/>
        <source>The language and watching change at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="78"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="79"/>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="80"/>
        <source>Precision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="81"/>
        <source>Near-duplicate threshold:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/preferences.py" line="82"/>
        <source>Custom tag words:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <location filename="../../photosearch/gui/preview.py" line="66"/>
        <source>Cannot show this photo: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsGrid</name>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="74"/>
        <source>Date unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="222"/>
        <source>Find similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="224"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="225"/>
        <source>Show in folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="226"/>
        <source>Copy path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="227"/>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="253"/>
        <source>No application opens {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/results_grid.py" line="261"/>
        <source>Copied {path}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../../photosearch/gui/search_box.py" line="31"/>
        <source>Describe a photo — “dog on a beach”  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchController</name>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="88"/>
        <source>photo {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/search_controller.py" line="107"/>
        <source>%Ln photos in {folder}, newest first</source>
        <translation>
            <numerusform>%Ln photo in {folder}, newest first</numerusform>
            <numerusform>%Ln photos in {folder}, newest first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/search_controller.py" line="110"/>
        <source>All photos: %Ln photos, newest first</source>
        <translation>
            <numerusform>All photos: %Ln photo, newest first</numerusform>
            <numerusform>All photos: %Ln photos, newest first</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="180"/>
        <source>Searching needs the model; it is not available yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="191"/>
        <source>Loading the model… the search runs as soon as it is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="213"/>
        <source>Searching for “{query}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="215"/>
        <source>Looking for photos like {photo}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="231"/>
        <source>No photos yet: add a folder, or wait for indexing to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="233"/>
        <source>Best matches for “{query}” in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="234"/>
        <source>Best matches for “{query}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="237"/>
        <source>Photos like {photo} in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="238"/>
        <source>Photos like {photo}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="241"/>
        <source>This model understands English only: for Russian queries choose Model ▸ Multilingual.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/search_controller.py" line="254"/>
        <source>The search failed: {error}. Details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TagsView</name>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="69"/>
        <source>Show all photos tagged “{tag}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="76"/>
        <source>Remove “{tag}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="225"/>
        <source>filter tags…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="263"/>
        <source>Your own tag words (any photo that fits gets them):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="269"/>
        <source>e.g. wisteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="271"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="273"/>
        <source>Apply to library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="297"/>
        <source>Re-tagging the library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="337"/>
        <source>Saved; the library is re-tagged as soon as the model has loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/tags_view.py" line="344"/>
        <source>Re-tagged %Ln photos.</source>
        <translation>
            <numerusform>Re-tagged %Ln photo.</numerusform>
            <numerusform>Re-tagged %Ln photos.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/tags_view.py" line="358"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../photosearch/gui/app.py" line="67"/>
        <source>Something went wrong: {error}. Details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/app.py" line="132"/>
        <source>Read-only library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/app.py" line="133"/>
        <source>{library} cannot be written here: searching works; indexing and changes do not.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="17"/>
        <source>Indexing {done} / {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="20"/>
        <source>{rate} photos/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="22"/>
        <source>{time} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../photosearch/gui/status_text.py" line="25"/>
        <source>Scanning {folder}… %Ln photos found</source>
        <translation>
            <numerusform>Scanning {folder}… %Ln photo found</numerusform>
            <numerusform>Scanning {folder}… %Ln photos found</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="28"/>
        <source>Loading model {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="30"/>
        <source>Downloading model {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="37"/>
        <source>{s} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="39"/>
        <source>{m} min {s} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../photosearch/gui/status_text.py" line="40"/>
        <source>{h} h {m} min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
