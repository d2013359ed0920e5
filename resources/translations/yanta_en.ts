<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ConsolidationView</name>
    <message>
        <source>指纹（SHA-256）：</source>
        <translation>Fingerprint (SHA-256): </translation>
    </message>
    <message>
        <source>隔离副本：</source>
        <translation>Quarantined copy: </translation>
    </message>
    <message>
        <source>原文件：</source>
        <translation>Original file: </translation>
    </message>
    <message>
        <source>原因：</source>
        <translation>Reason: </translation>
    </message>
    <message>
        <source>原因说明：</source>
        <translation>Reason file: </translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>未到期</source>
        <translation>Not yet due</translation>
    </message>
    <message>
        <source>任务{n}</source>
        <translation>Task {n}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <source>✔ 已达目标</source>
        <translation>✔ Target met</translation>
    </message>
    <message>
        <source>未达目标</source>
        <translation>Below target</translation>
    </message>
    <message>
        <source>方案目标：</source>
        <translation>Plan target: </translation>
    </message>
    <message>
        <source>双击查看数据来源（{n} 项）</source>
        <translation>Double-click to see the sources ({n})</translation>
    </message>
    <message>
        <source>签名者：</source>
        <translation>Signer: </translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>报告期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>Seq.</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>指纹</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>隔离时间</source>
        <translation>Quarantined at</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>逾期天数</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <source>未报送任务</source>
        <translation>Tasks not reported</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>本期值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>计量单位</source>
        <translation>Measure</translation>
    </message>
    <message>
        <source>2026年目标</source>
        <translation>2026 target</translation>
    </message>
    <message>
        <source>完成情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>完成程度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>取值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>数据包序号</source>
        <translation>Packet seq.</translation>
    </message>
    <message>
        <source>数据包指纹</source>
        <translation>Packet fingerprint</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>接收时间</source>
        <translation>Received at</translation>
    </message>
    <message>
        <source>记录数</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>变化</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>旧版本</source>
        <translation>Old version</translation>
    </message>
    <message>
        <source>新版本</source>
        <translation>New version</translation>
    </message>
    <message>
        <source>已接收</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>重复（已忽略）</source>
        <translation>Duplicate (ignored)</translation>
    </message>
    <message>
        <source>已接收（替换旧版本）</source>
        <translation>Accepted (replaces older version)</translation>
    </message>
    <message>
        <source>过期版本（未采用）</source>
        <translation>Outdated version (not used)</translation>
    </message>
    <message>
        <source>版本冲突（疑似密钥被复制或数据库被恢复）</source>
        <translation>Version conflict (signing key copied or database restored?)</translation>
    </message>
    <message>
        <source>已拒收（已隔离）</source>
        <translation>Rejected (quarantined)</translation>
    </message>
    <message>
        <source>待报送</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>已报送</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>逾期报送</source>
        <translation>Received late</translation>
    </message>
    <message>
        <source>未报送</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>当前采用</source>
        <translation>Current</translation>
    </message>
    <message>
        <source>已被替换</source>
        <translation>Superseded</translation>
    </message>
    <message>
        <source>过期版本</source>
        <translation>Outdated</translation>
    </message>
    <message>
        <source>版本冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>迟</source>
        <translation>L</translation>
    </message>
    <message>
        <source>导入数据包…</source>
        <translation>Import packets…</translation>
    </message>
    <message>
        <source>选择一个或多个数据包文件（.xlsx）；也可把文件或文件夹拖到本窗口</source>
        <translation>Choose one or more packet files (.xlsx); you can also drop files or folders onto this window</translation>
    </message>
    <message>
        <source>导入文件夹…</source>
        <translation>Import folder…</translation>
    </message>
    <message>
        <source>导入文件夹（含子文件夹）中的全部数据包</source>
        <translation>Import every packet in a folder (including subfolders)</translation>
    </message>
    <message>
        <source>报告期：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>生成汇总表…</source>
        <translation>Build consolidated workbook…</translation>
    </message>
    <message>
        <source>生成本报告期经区知识产权局签名的汇总工作簿</source>
        <translation>Build this period's consolidated workbook, signed by the district IP bureau</translation>
    </message>
    <message>
        <source>提示：可将数据包文件或整个文件夹直接拖放到此处导入。</source>
        <translation>Tip: drop packet files or whole folders here to import them.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导入结果</source>
        <translation>Import results</translation>
    </message>
    <message>
        <source>报送情况</source>
        <translation>Submissions</translation>
    </message>
    <message>
        <source>指标进度</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <source>版本比对</source>
        <translation>Compare versions</translation>
    </message>
    <message>
        <source>汇总表已生成：</source>
        <translation>Consolidated workbook written:</translation>
    </message>
    <message>
        <source>打开所在文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>复制指纹</source>
        <translation>Copy fingerprint</translation>
    </message>
    <message>
        <source>尚未导入。点击“导入数据包…”或把文件拖到这里。</source>
        <translation>Nothing imported yet. Click “Import packets…” or drop files here.</translation>
    </message>
    <message>
        <source>隔离区（被拒收的文件及原因，原件保留）</source>
        <translation>Quarantine (rejected files and why; originals kept)</translation>
    </message>
    <message>
        <source>打开隔离文件夹</source>
        <translation>Open quarantine folder</translation>
    </message>
    <message>
        <source>图例：</source>
        <translation>Legend:</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <source>只显示本期有报送任务的单位</source>
        <translation>Only units with tasks due this period</translation>
    </message>
    <message>
        <source>催报名单</source>
        <translation>Reminder list</translation>
    </message>
    <message>
        <source>导出催报名单…</source>
        <translation>Export reminder list…</translation>
    </message>
    <message>
        <source>双击表格中的指标或图中的柱，可查看该数值来自哪些数据包和记录。</source>
        <translation>Double-click an indicator in the table or a bar in the chart to see which packets and entries the value comes from.</translation>
    </message>
    <message>
        <source>单位：</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>比较所选两个版本</source>
        <translation>Compare the two selected versions</translation>
    </message>
    <message>
        <source>在下表中选择两个版本（按住 Ctrl 多选）；序号小的作为旧版本。</source>
        <translation>Select two versions below (hold Ctrl to select both); the lower sequence number is the old version.</translation>
    </message>
    <message>
        <source>{table} 第{row}行</source>
        <translation>{table} row {row}</translation>
    </message>
    <message>
        <source>{label}（{code}）</source>
        <translation>{label} ({code})</translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <source>生成汇总表失败</source>
        <translation>Building the consolidated workbook failed</translation>
    </message>
    <message>
        <source>导出催报名单失败</source>
        <translation>Exporting the reminder list failed</translation>
    </message>
    <message>
        <source>读取报送情况失败</source>
        <translation>Reading the submissions failed</translation>
    </message>
    <message>
        <source>计算指标失败</source>
        <translation>Computing the indicators failed</translation>
    </message>
    <message>
        <source>版本比对失败</source>
        <translation>Comparing versions failed</translation>
    </message>
    <message>
        <source>操作失败</source>
        <translation>Operation failed</translation>
    </message>
    <message>
        <source>{what}：{message}</source>
        <translation>{what}: {message}</translation>
    </message>
    <message>
        <source>（程序错误，详情已写入日志）</source>
        <translation>(program error; details written to the log)</translation>
    </message>
    <message>
        <source>导入已取消。已处理的数据包已保存，其余未导入。</source>
        <translation>Import cancelled. Packets already processed are saved; the rest were not imported.</translation>
    </message>
    <message>
        <source>已取消生成汇总表，没有写出文件。</source>
        <translation>Building the consolidated workbook was cancelled; no file was written.</translation>
    </message>
    <message>
        <source>操作已取消。</source>
        <translation>Operation cancelled.</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>隔离区（被拒收的文件及原因，原件保留）：{n} 个文件</source>
        <translation>Quarantine (rejected files and why; originals kept) — files: {n}</translation>
    </message>
    <message>
        <source>导入记录：最近导入的 {n} 个文件（有问题的在前；最后一次导入于 {at}）。点击“导入数据包…”或把文件拖到这里继续导入。</source>
        <translation>Import log: the most recently imported files, {n} in all (problems first; last import {at}). Click “Import packets…” or drop files here to import more.</translation>
    </message>
    <message>
        <source>选择数据包</source>
        <translation>Choose packets</translation>
    </message>
    <message>
        <source>数据包 (*.xlsx);;所有文件 (*)</source>
        <translation>Packets (*.xlsx);;All files (*)</translation>
    </message>
    <message>
        <source>选择包含数据包的文件夹</source>
        <translation>Choose a folder containing packets</translation>
    </message>
    <message>
        <source>上一项操作尚未完成，请稍候或先取消。</source>
        <translation>The previous operation is still running; please wait or cancel it first.</translation>
    </message>
    <message>
        <source>正在导入并验证数据包…</source>
        <translation>Importing and verifying packets…</translation>
    </message>
    <message>
        <source>本次处理 {n} 个文件：</source>
        <translation>Files processed: {n} — </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>所选位置没有找到数据包（.xlsx 文件）。</source>
        <translation>No packets (.xlsx files) found at the chosen location.</translation>
    </message>
    <message>
        <source>{unit} {period} 序号{seq}</source>
        <translation>{unit} {period} seq. {seq}</translation>
    </message>
    <message>
        <source>⚠ 发现版本冲突：{names}。同一单位出现了序号相同而内容不同（或链条断开）的数据包，可能是签名密钥被复制到了另一台电脑，或该单位的数据库被恢复过。冲突的数据包未被采用，原件已放入隔离区。请与该单位核实后，让其重新导出。</source>
        <translation>⚠ Version conflict: {names}. A unit sent packets with the same sequence number but different contents (or a broken chain); its signing key may have been copied to another computer, or its database restored. The conflicting packets were not used and the originals are in quarantine. Check with the unit and ask it to export again.</translation>
    </message>
    <message>
        <source>{n} 个文件被拒收，已放入隔离区（见下方列表及原因）。</source>
        <translation>Files rejected and quarantined: {n} (see the list and reasons below).</translation>
    </message>
    <message>
        <source>{label}（{code}）报送截止日期 {due}，统计日 {today}</source>
        <translation>{label} ({code}): due {due}, as of {today}</translation>
    </message>
    <message>
        <source>　</source>
        <translation>   </translation>
    </message>
    <message>
        <source>催报名单：{n} 个单位</source>
        <translation>Reminder list — units: {n}</translation>
    </message>
    <message>
        <source>催报名单：无（应报的都已收到）</source>
        <translation>Reminder list: none (everything due has been received)</translation>
    </message>
    <message>
        <source>导出催报名单</source>
        <translation>Export reminder list</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>催报名单已导出：</source>
        <translation>Reminder list exported: </translation>
    </message>
    <message>
        <source>截至 {p}：各项指标与 2026 年目标</source>
        <translation>As of {p}: indicators against the 2026 targets</translation>
    </message>
    <message>
        <source>{name}（{unit}）</source>
        <translation>{name} ({unit})</translation>
    </message>
    <message>
        <source>{code}（{n} 个版本）</source>
        <translation>{code} (versions: {n})</translation>
    </message>
    <message>
        <source>选择两个版本后点击“比较所选两个版本”。</source>
        <translation>Select two versions, then click “Compare the two selected versions”.</translation>
    </message>
    <message>
        <source>该单位本报告期只有一个版本。</source>
        <translation>This unit has only one version for this period.</translation>
    </message>
    <message>
        <source>序号 {a} → 序号 {b}：{n} 处不同</source>
        <translation>Seq. {a} → seq. {b}, differences: {n}</translation>
    </message>
    <message>
        <source>两个版本的填报内容完全相同。</source>
        <translation>The two versions have identical contents.</translation>
    </message>
    <message>
        <source>保存汇总表</source>
        <translation>Save consolidated workbook</translation>
    </message>
    <message>
        <source>签名口令</source>
        <translation>Signing passphrase</translation>
    </message>
    <message>
        <source>请输入区知识产权局签名私钥的口令：</source>
        <translation>Passphrase of the district IP bureau's signing key:</translation>
    </message>
    <message>
        <source>正在生成 {p} 汇总表…</source>
        <translation>Building the {p} consolidated workbook…</translation>
    </message>
    <message>
        <source>{p}：{n} 个数据包，{r} 条记录，{s} 张工作表，用时 {t:.1f} 秒</source>
        <translation>{p}: packets {n}, entries {r}, sheets {s}, {t:.1f} s</translation>
    </message>
</context>
<context>
    <name>EvidenceBox</name>
    <message>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>把文件拖到这里，或点击“添加文件…”。单个文件不超过 {0} MB；可用格式：{1}。</source>
        <translation>Drop files here or click “Add files…”. Up to {0} MB per file; allowed formats: {1}.</translation>
    </message>
    <message>
        <source>佐证材料列表</source>
        <translation>Evidence files</translation>
    </message>
    <message>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>指纹（SHA-256）</source>
        <translation>Fingerprint (SHA-256)</translation>
    </message>
    <message>
        <source>添加文件…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>{0} 的类别</source>
        <translation>Kind of {0}</translation>
    </message>
    <message>
        <source>选择佐证材料</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <source>佐证材料 ({0});;所有文件 (*)</source>
        <translation>Evidence ({0});;All files (*)</translation>
    </message>
    <message>
        <source>“{0}”不是文件</source>
        <translation>“{0}” is not a file</translation>
    </message>
    <message>
        <source>“{0}”的格式不在允许范围内（{1}）</source>
        <translation>“{0}” is not an allowed format ({1})</translation>
    </message>
    <message>
        <source>“{0}”超过 {1} MB</source>
        <translation>“{0}” is larger than {1} MB</translation>
    </message>
    <message>
        <source>佐证材料最多 {0} 个文件</source>
        <translation>At most {0} evidence files</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>未定稿</source>
        <translation>Not final</translation>
    </message>
    <message>
        <source>未填报</source>
        <translation>Not filled in</translation>
    </message>
    <message>
        <source>导出数据包 — {0}</source>
        <translation>Export packet — {0}</translation>
    </message>
    <message>
        <source>{0} 的已定稿填报将写入一个签名的 Excel 数据包，交区知识产权局汇总。下面是本期各项任务的状态：</source>
        <translation>The final entries for {0} are written to one signed Excel packet for the district IP bureau. Status of each task this period:</translation>
    </message>
    <message>
        <source>各任务导出准备情况</source>
        <translation>Export readiness per task</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>只导出已定稿的任务（未填报的任务不包含在本数据包中）</source>
        <translation>Export the final tasks only (tasks not filled in are left out of this packet)</translation>
    </message>
    <message>
        <source>签名证书：</source>
        <translation>Signing certificate:</translation>
    </message>
    <message>
        <source>保存位置</source>
        <translation>Save location</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>选择保存位置</source>
        <translation>Choose save location</translation>
    </message>
    <message>
        <source>保存到(&amp;D)：</source>
        <translation>Save &amp;to:</translation>
    </message>
    <message>
        <source>签名口令</source>
        <translation>Signing passphrase</translation>
    </message>
    <message>
        <source>签名口令(&amp;P)：</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>文件：</source>
        <translation>File:</translation>
    </message>
    <message>
        <source>数据指纹（SHA-256）：</source>
        <translation>Payload fingerprint (SHA-256):</translation>
    </message>
    <message>
        <source>证书指纹：</source>
        <translation>Certificate fingerprint:</translation>
    </message>
    <message>
        <source>打开所在文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>复制指纹</source>
        <translation>Copy fingerprint</translation>
    </message>
    <message>
        <source>导出(&amp;E)</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>无法检查填报状态：{0}</source>
        <translation>Cannot check the entries: {0}</translation>
    </message>
    <message>
        <source>任务{0} {1}</source>
        <translation>Task {0} {1}</translation>
    </message>
    <message>
        <source>本期 {0} 项任务：可导出 {1} 项，未定稿 {2} 项，未填报 {3} 项。</source>
        <translation>{0} tasks this period: {1} ready, {2} not final, {3} not filled in.</translation>
    </message>
    <message>
        <source>未定稿的任务必须先定稿（或退回清空）才能导出。</source>
        <translation>Tasks that are not final must be finalised before exporting.</translation>
    </message>
    <message>
        <source>如确实无需填报，可勾选下方“只导出已定稿的任务”。</source>
        <translation>If they really need no report, tick “Export the final tasks only” below.</translation>
    </message>
    <message>
        <source>还没有导入证书，暂时不能导出。请把证书申请文件 {0} 交区知识产权局签发，再在“文件 → 证书与密钥”中导入本单位证书和根证书。</source>
        <translation>No certificate installed yet, so export is not possible. Send the request file {0} to the district IP bureau, then import your certificate and the root under “File → Certificate and key”.</translation>
    </message>
    <message>
        <source>本机还没有签名密钥，暂时不能导出。请在“文件 → 证书与密钥”中生成证书申请。</source>
        <translation>This computer has no signing key yet, so export is not possible. Create a certificate request under “File → Certificate and key”.</translation>
    </message>
    <message>
        <source>正在解开私钥并准备导出…</source>
        <translation>Unlocking the private key and preparing the export…</translation>
    </message>
    <message>
        <source>导出成功：第 {0} 号数据包，含 {1} 项任务。</source>
        <translation>Exported: packet no. {0} with {1} tasks.</translation>
    </message>
    <message>
        <source>（内容未变，沿用原序号）</source>
        <translation> (content unchanged, same sequence number)</translation>
    </message>
    <message>
        <source>口令不正确，私钥无法解开。请重新输入签名口令。</source>
        <translation>Wrong passphrase: the private key cannot be unlocked. Please enter the signing passphrase again.</translation>
    </message>
    <message>
        <source>导出失败：{0}</source>
        <translation>Export failed: {0}</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>日历…</source>
        <translation>Calendar…</translation>
    </message>
    <message>
        <source>从日历选择{0}</source>
        <translation>Pick {0} from a calendar</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <source>修改“{0}”</source>
        <translation>Edit “{0}”</translation>
    </message>
    <message>
        <source>添加行</source>
        <translation>Add row</translation>
    </message>
    <message>
        <source>复制所选行</source>
        <translation>Duplicate rows</translation>
    </message>
    <message>
        <source>删除所选行</source>
        <translation>Delete rows</translation>
    </message>
    <message>
        <source>粘贴 Excel 数据</source>
        <translation>Paste from Excel</translation>
    </message>
    <message>
        <source>在 Excel 或 WPS 中选中若干行列并复制，再点这里（或在表格中按 Ctrl+V），从当前单元格开始填入。</source>
        <translation>Copy a block of cells in Excel or WPS, then click here (or press Ctrl+V in the table); it is filled in from the current cell.</translation>
    </message>
    <message>
        <source>共 {0} 行</source>
        <translation>{0} rows</translation>
    </message>
    <message>
        <source>任务{0}　{1}</source>
        <translation>Task {0}: {1}</translation>
    </message>
    <message>
        <source>报告期：{0}（{1}）</source>
        <translation>Period: {0} ({1})</translation>
    </message>
    <message>
        <source>　截止日期：{0}</source>
        <translation>   Due: {0}</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>立即保存草稿（Ctrl+S）。草稿也会在停止输入约 1 秒后自动保存。</source>
        <translation>Save the draft now (Ctrl+S). Drafts also save themselves about one second after you type.</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>定稿</source>
        <translation>Finalise</translation>
    </message>
    <message>
        <source>检查全部内容并定稿（Ctrl+Enter）</source>
        <translation>Check everything and finalise (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>退回修改…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <source>历史版本…</source>
        <translation>History…</translation>
    </message>
    <message>
        <source>问题列表</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>修改佐证材料</source>
        <translation>Edit evidence</translation>
    </message>
    <message>
        <source>有未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>……另有 {0} 条未列出</source>
        <translation>… and {0} more</translation>
    </message>
    <message>
        <source>没有发现问题。</source>
        <translation>No problems found.</translation>
    </message>
    <message>
        <source>错误 {0} 处，提醒 {1} 处（点击可跳到对应位置）</source>
        <translation>Errors: {0}, warnings: {1} (click one to go there)</translation>
    </message>
    <message>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>草稿已保存（第 {0} 版）</source>
        <translation>Draft saved (revision {0})</translation>
    </message>
    <message>
        <source>保存失败：{0}</source>
        <translation>Save failed: {0}</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Save failed</translation>
    </message>
    <message>
        <source>有 {0} 处错误，未能定稿。请逐条修改（点击下面的条目可跳到对应位置）。</source>
        <translation>Not finalised: errors: {0}. Fix each one (click an item below to go there).</translation>
    </message>
    <message>
        <source>已定稿（第 {0} 版）</source>
        <translation>Final (revision {0})</translation>
    </message>
    <message>
        <source>未能定稿</source>
        <translation>Not finalised</translation>
    </message>
    <message>
        <source>退回修改</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>请说明退回修改的原因（将记入审计日志）：</source>
        <translation>Why is this entry reopened? (recorded in the audit log)</translation>
    </message>
    <message>
        <source>必须填写退回原因。</source>
        <translation>A reason is required.</translation>
    </message>
    <message>
        <source>已退回为草稿（第 {0} 版）</source>
        <translation>Reopened as a draft (revision {0})</translation>
    </message>
    <message>
        <source>未能退回</source>
        <translation>Could not reopen</translation>
    </message>
    <message>
        <source>添加佐证材料</source>
        <translation>Add evidence</translation>
    </message>
    <message>
        <source>无法打开“{0}”：{1}</source>
        <translation>Cannot open “{0}”: {1}</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>{0} 第{1}行</source>
        <translation>{0} row {1}</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>（已删除）</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>（已移除）</source>
        <translation>(removed)</translation>
    </message>
    <message>
        <source>佐证材料“{0}”的类别</source>
        <translation>Kind of evidence “{0}”</translation>
    </message>
    <message>
        <source>历史版本</source>
        <translation>History</translation>
    </message>
    <message>
        <source>选择一个版本，查看它与上一版本的差异：</source>
        <translation>Choose a revision to see what changed from the one before:</translation>
    </message>
    <message>
        <source>版本列表</source>
        <translation>Revisions</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>保存人</source>
        <translation>Saved by</translation>
    </message>
    <message>
        <source>保存时间</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>差异</source>
        <translation>Differences</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>修改后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>第 {0} 版相对上一版有 {1} 处修改。</source>
        <translation>Revision {0}: {1} changes from the previous one.</translation>
    </message>
    <message>
        <source>第 {0} 版没有修改内容（{1}）。</source>
        <translation>Revision {0} changes no content ({1}).</translation>
    </message>
</context>
<context>
    <name>IndicatorChart</name>
    <message>
        <source>尚无数据</source>
        <translation>No data yet</translation>
    </message>
    <message>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <source>目标 </source>
        <translation>Target </translation>
    </message>
    <message>
        <source>已达目标</source>
        <translation>Target met</translation>
    </message>
    <message>
        <source>未达目标</source>
        <translation>Below target</translation>
    </message>
    <message>
        <source>2026年目标：</source>
        <translation>2026 target: </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>雁塔知识产权强县填报 — {0}</source>
        <translation>Yanta IP Reporting — {0}</translation>
    </message>
    <message>
        <source>填报单位：{0}</source>
        <translation>Unit: {0}</translation>
    </message>
    <message>
        <source>报告期(&amp;P)：</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <source>报告期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>任务列表</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>部分表单暂不可用：</source>
        <translation>Some forms are not available: </translation>
    </message>
    <message>
        <source>请在左侧选择一项任务开始填报。</source>
        <translation>Choose a task on the left to start.</translation>
    </message>
    <message>
        <source>本单位填报</source>
        <translation>Our reports</translation>
    </message>
    <message>
        <source>汇总功能加载中…</source>
        <translation>Loading consolidation…</translation>
    </message>
    <message>
        <source>汇总（全区）</source>
        <translation>Consolidation (district)</translation>
    </message>
    <message>
        <source>数据目录：{0}</source>
        <translation>Data folder: {0}</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>导出数据包(&amp;E)…</source>
        <translation>&amp;Export packet…</translation>
    </message>
    <message>
        <source>证书与密钥(&amp;K)…</source>
        <translation>Certificate and &amp;key…</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>保存草稿(&amp;S)</source>
        <translation>&amp;Save draft</translation>
    </message>
    <message>
        <source>定稿(&amp;F)</source>
        <translation>&amp;Finalise</translation>
    </message>
    <message>
        <source>撤销(&amp;U)</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>重做(&amp;R)</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>历史版本(&amp;H)…</source>
        <translation>&amp;History…</translation>
    </message>
    <message>
        <source>设置(&amp;S)</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>界面语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>界面语言将在下次启动时生效。</source>
        <translation>The language changes the next time the app starts.</translation>
    </message>
    <message>
        <source>{0}、{1}</source>
        <translation>{2}. {1}</translation>
    </message>
    <message>
        <source>任务{0} {1}</source>
        <translation>Task {0} {1}</translation>
    </message>
    <message>
        <source>表单缺失</source>
        <translation>Form missing</translation>
    </message>
    <message>
        <source>本期不填报</source>
        <translation>Not this period</translation>
    </message>
    <message>
        <source>此任务按{0}填报，{1}不是它的报告期</source>
        <translation>This task reports per {0}; {1} is not one of its periods</translation>
    </message>
    <message>
        <source>正在读取本期填报状态…</source>
        <translation>Reading this period's statuses…</translation>
    </message>
    <message>
        <source>无法读取本期填报状态：{0}</source>
        <translation>Could not read this period's statuses: {0}</translation>
    </message>
    <message>
        <source>本期 {0} 项：未开始 {1}，草稿 {2}，已定稿 {3}，已导出 {4}</source>
        <translation>{0} tasks: {1} not started, {2} draft, {3} final, {4} exported</translation>
    </message>
    <message>
        <source>；{0} 项已逾期</source>
        <translation>; {0} overdue</translation>
    </message>
    <message>
        <source>{0} 已逾期</source>
        <translation>{0} overdue</translation>
    </message>
    <message>
        <source>已超过截止日期 {0} 天</source>
        <translation>{0} days past the due date</translation>
    </message>
    <message>
        <source>任务{0}的表单文件还不可用，暂时无法填报。</source>
        <translation>The form for task {0} is not available yet.</translation>
    </message>
    <message>
        <source>任务{0}按{1}填报，{2}没有此任务的报告期。请在上方选择其他报告期。</source>
        <translation>Task {0} reports per {1}; {2} is not one of its periods. Choose another period above.</translation>
    </message>
    <message>
        <source>正在打开任务{0}…</source>
        <translation>Opening task {0}…</translation>
    </message>
    <message>
        <source>无法打开任务{0}：{1}</source>
        <translation>Cannot open task {0}: {1}</translation>
    </message>
    <message>
        <source>正在读取历史版本…</source>
        <translation>Reading the history…</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>雁塔知识产权强县填报
{0}
数据目录：{1}</source>
        <translation>Yanta IP Reporting
{0}
Data folder: {1}</translation>
    </message>
    <message>
        <source>汇总功能尚未安装：{0}</source>
        <translation>Consolidation is not installed: {0}</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>单位代码 {0}，有效期至 {1}，证书指纹 {2}…</source>
        <translation>unit {0}, valid until {1}, fingerprint {2}…</translation>
    </message>
    <message>
        <source>选择填报单位</source>
        <translation>Choose your unit</translation>
    </message>
    <message>
        <source>本机代表哪个单位填报？可输入单位全称、简称或方案中的其他写法搜索。</source>
        <translation>Which unit reports from this computer? Search by full name, short name or any name the plan uses.</translation>
    </message>
    <message>
        <source>如：区科工局、科技局、小寨路街道</source>
        <translation>e.g. 区科工局, 科技局, 小寨路街道</translation>
    </message>
    <message>
        <source>搜索单位</source>
        <translation>Search units</translation>
    </message>
    <message>
        <source>单位列表</source>
        <translation>Units</translation>
    </message>
    <message>
        <source>其他写法：{0}
负责任务：{1}</source>
        <translation>Other names: {0}
Tasks: {1}</translation>
    </message>
    <message>
        <source>{0} 负责 {1} 项任务：{2}</source>
        <translation>{0} is responsible for {1} tasks: {2}</translation>
    </message>
    <message>
        <source>设置签名口令</source>
        <translation>Set the signing passphrase</translation>
    </message>
    <message>
        <source>本机会生成一把签名私钥，用口令加密保存。每次导出数据包时都要输入这个口令，请牢记。</source>
        <translation>A signing key is created on this computer and encrypted with this passphrase. You need it for every export: remember it.</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>再次输入口令</source>
        <translation>Passphrase again</translation>
    </message>
    <message>
        <source>口令(&amp;P)：</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>再次输入(&amp;A)：</source>
        <translation>&amp;Again:</translation>
    </message>
    <message>
        <source>本机是区知识产权局：同时建立根证书，并为本机签发签名证书</source>
        <translation>This is the district IP bureau: also create the root certificate and certify this computer</translation>
    </message>
    <message>
        <source>口令至少需要 {0} 个字符。</source>
        <translation>The passphrase needs at least {0} characters.</translation>
    </message>
    <message>
        <source>两次输入的口令不一致。</source>
        <translation>The two passphrases differ.</translation>
    </message>
    <message>
        <source>正在生成签名密钥（需要几秒钟）…</source>
        <translation>Creating the signing key (a few seconds)…</translation>
    </message>
    <message>
        <source>正在建立根证书…</source>
        <translation>Creating the root certificate…</translation>
    </message>
    <message>
        <source>正在为本机签发证书…</source>
        <translation>Certifying this computer…</translation>
    </message>
    <message>
        <source>签名密钥已生成。</source>
        <translation>Signing key created.</translation>
    </message>
    <message>
        <source>打开申请文件所在文件夹</source>
        <translation>Open the request file’s folder</translation>
    </message>
    <message>
        <source>本单位证书</source>
        <translation>Unit certificate</translation>
    </message>
    <message>
        <source>根证书</source>
        <translation>Root certificate</translation>
    </message>
    <message>
        <source>本单位证书(&amp;C)：</source>
        <translation>Unit &amp;certificate:</translation>
    </message>
    <message>
        <source>根证书(&amp;R)：</source>
        <translation>&amp;Root certificate:</translation>
    </message>
    <message>
        <source>区知识产权局发来的 .pem 文件</source>
        <translation>the .pem file from the district IP bureau</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>选择{0}文件</source>
        <translation>Choose the {0} file</translation>
    </message>
    <message>
        <source>选择{0}</source>
        <translation>Choose {0}</translation>
    </message>
    <message>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>已安装签名证书：{0}</source>
        <translation>Signing certificate installed: {0}</translation>
    </message>
    <message>
        <source>证书申请文件：{0}
请把它交给区知识产权局，拿到“本单位证书”和“根证书”后在此导入。</source>
        <translation>Certificate request: {0}
Send it to the district IP bureau; import the unit certificate and the root here when they come back.</translation>
    </message>
    <message>
        <source>本机还没有签名密钥。</source>
        <translation>This computer has no signing key yet.</translation>
    </message>
    <message>
        <source>请选择本单位证书和根证书两个文件。</source>
        <translation>Choose both the unit certificate and the root certificate.</translation>
    </message>
    <message>
        <source>无法读取证书文件：{0}</source>
        <translation>Cannot read the certificate file: {0}</translation>
    </message>
    <message>
        <source>证书已导入：单位 {0}。</source>
        <translation>Certificate imported: unit {0}.</translation>
    </message>
    <message>
        <source>导入证书</source>
        <translation>Import certificate</translation>
    </message>
    <message>
        <source>区知识产权局为本单位签发证书后，在这里导入。也可以先跳过，导出前再导入。</source>
        <translation>Import the certificate the district IP bureau issued for your unit. You can also skip this and import it before exporting.</translation>
    </message>
    <message>
        <source>以后再导入（在“文件 → 证书与密钥”中；导入前不能导出数据包）</source>
        <translation>Import later (File → Certificate and key; no export until then)</translation>
    </message>
    <message>
        <source>首次使用设置 — 雁塔知识产权强县填报</source>
        <translation>First-run setup — Yanta IP Reporting</translation>
    </message>
    <message>
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>证书与密钥</source>
        <translation>Certificate and key</translation>
    </message>
</context>
<context>
    <name>SourcesDialog</name>
    <message>
        <source>数据来源 — {name}（{period}）</source>
        <translation>Sources — {name} ({period})</translation>
    </message>
    <message>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;　{period}：&lt;b&gt;{value}&lt;/b&gt; {unit}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;   {period}: &lt;b&gt;{value}&lt;/b&gt; {unit}</translation>
    </message>
    <message>
        <source>分子：</source>
        <translation>Numerator: </translation>
    </message>
    <message>
        <source>分母：</source>
        <translation>Denominator: </translation>
    </message>
    <message>
        <source>　</source>
        <translation>   </translation>
    </message>
    <message>
        <source>口径：</source>
        <translation>Definition: </translation>
    </message>
    <message>
        <source>本期没有任何数据包为这一指标提供数据。</source>
        <translation>No packet provided data for this indicator in this period.</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
</TS>
