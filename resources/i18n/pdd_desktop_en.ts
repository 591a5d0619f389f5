<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>关于 / 诊断</source>
        <extracomment>(organization, application) of the app&apos;s QSettings, for callers without the app&apos;s QApplication.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多商家桌面助手</source>
        <extracomment>The last diagnostics package written (tests read it).
----------
How long a notice stays in the status bar and in the desktop notification.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序与数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺</source>
        <extracomment>Open the shop in this folder instead of the current one. Give the open shop this name (the app closes and reopens it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日志文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>运行环境</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开数据文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开日志文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出诊断包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日志、设置和数据概况打包成一个 zip 文件，发给客服排查问题；已去除个人信息和密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未命名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（本程序使用 {version}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>诊断包-{time}.zip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出诊断包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>诊断包 (*.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出诊断包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出诊断包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>诊断包已保存：{path}
已去除手机号、姓名、地址、密钥和令牌，可以发给客服。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消，没有保存诊断包。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>诊断包没有导出：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存</source>
        <extracomment>What a price box accepts while typing: yuan with at most two decimals. A complete price: exactly two decimals (a whole amount or one decimal is padded on leaving the box).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发件人姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>手机号或固定电话，如 13812345678 / 0579-85551234</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>省</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>市</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区/县</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>街道、门牌号、仓库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设为默认发货地址（打印在面单上）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系人</source>
        <extracomment>Width of the text fields (a name, a tax number, a token): readable, not stretched across the page. Columns of the sender-address table.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所在地区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>详细地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <extracomment>The user confirmed valid input.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印到 PDF 文件…</source>
        <extracomment>Pages are rasterised at the printer&apos;s resolution but never finer than this (a 76×130 mm label at 300 dpi is ~900×1540 px; thermal printers print 203 or 300 dpi). The combo entry that prints through Qt&apos;s PDF printer into a file the user picks.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印预览 — {title}</source>
        <extracomment>Combo data of a print component printer: this prefix + the printer&apos;s name. Zoom steps of 放大 / 缩小 (1.0 = the page at its real size on screen). Everything was sent: the printer description for the print job (&quot;name&quot; or &quot;PDF:&lt;path&gt;&quot;). The pages sent are in :attr:`last_pages`. The user asked to print the platform labels on this print component printer. The label number on each PDF page; the platform labels&apos; numbers (print component). None: not known yet; True: found (its printers listed); False: absent. The PDF pages the last system print (or save) sent, 0-based.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上一页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下一页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缩小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放大</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>适合宽度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>左右偏移（正数向右）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上下偏移（正数向下）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印</source>
        <extracomment>The same actions for the table&apos;s context menu.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另存为 PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在查找拼多多打印组件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看模拟打印机打出的面单</source>
        <extracomment>What the demo sandbox&apos;s fake print component printed (its PDFs), after a session.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示沙箱的模拟打印组件把打出的面单保存成 PDF，点此打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>偏移 X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这些面单的收件人信息已加密，只有拼多多打印组件能打印，无法在这里预览。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 {page} / {count} 页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另存为 PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存失败：{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存到 {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印到 PDF 文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多打印组件 · {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（离线）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台电子面单 {count} 张由拼多多打印组件打印：请选择打印组件里的打印机。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另外 {count} 张本地单号面单请选择系统打印机打印。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
{count} 张平台电子面单的收件人信息已加密，只能由拼多多打印组件打印，这次不会打印。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
可用系统打印机打印预览中的 {count} 张面单（收件人信息完整）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有要用系统打印机打印的面单：平台电子面单请选择拼多多打印组件的打印机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印机无法开始打印，请检查打印机是否连接、是否缺纸</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发送 {sent} 页到打印机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印已取消（已发送 {sent} 页，没有记为已打印）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这个数据文件夹中的店铺（每个店铺的数据各自独立）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建店铺…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>改名…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（演示）</source>
        <extracomment>The open 关于/诊断 dialog (tests drive it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  · 当前打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据大小 {size:.1f} MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在打开的店铺不能删除，请先切换到其他店铺</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>给店铺“{name}”改名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺“{name}”已改名为“{name2}”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除店铺</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确定删除店铺“{name}”吗？

删除前会先把它的数据备份到数据文件夹的 backups 文件夹中；删除后这个店铺不再出现在列表里。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺“{name}”已删除。删除前的备份：{backup}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有删除：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有待上传的修改。
在本机发货、改备注、改库存或价格、处理售后后，还没传到拼多多的操作会列在这里，同步时自动上传。</source>
        <extracomment>Outbox states the 待上传 tab lists (finished ones live in the log). Outbox states 立即上传 can move on (a failed or conflicting op waits for the merchant). What each empty table would show (an empty table alone looks broken).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有冲突。
本地修改上传前，如果平台上的值已经变了，会列在这里请你决定保留哪一边。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有同步记录。
每次同步（自动，或点“立即同步”）下载和上传了什么，会记在这里。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步</source>
        <extracomment>A decision changed local data (Changes), for the pages to refresh. The user asked to sync now.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单/商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态</source>
        <extracomment>The category list&apos;s row for every category.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尝试次数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>创建时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最近错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>现在就把等待中的修改上传到平台，不必等下一次自动同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重试</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃上传…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本地的修改保留，但不再上传到平台（需要确认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本地修改上传前，平台上的值已经变了。请逐项决定保留哪一边：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改前</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本地</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发现时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保留本地，上传到平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>采用平台的值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>时间</source>
        <extracomment>Columns of the action log.
----------
Columns of the stock movement log.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规则</source>
        <extracomment>Columns of the rule table.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单/售后单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>动作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>红旗</source>
        <extracomment>Flag colours (1..5); the memo rule&apos;s first choice is no flag.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>黄旗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>绿旗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>蓝旗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>紫旗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动化规则设置：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>启用自动化规则：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>启用规则</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在发货中心查看这些订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先点「预览」，看看规则现在会处理哪些订单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不插旗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>多个词用逗号或空格分开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款金额不超过（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每天最多自动同意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>插旗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备注文字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如 09:00，15:30</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每天打印时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每批最多</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不填：店铺数据旁的「自动打印」文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>面单 PDF 保存到</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只生成面单 PDF 并记为已打印，不会发货；可以用打印机的文件夹打印功能自动打出。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家留言含</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>写入商家备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收货地址含</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>或买家留言含</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择面单 PDF 保存的文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款金额上限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设置已修改，请重新预览。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>现在会处理 {count:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（共 {total:,} 单符合，上限只允许 {count:,} 单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>，每次运行处理 {count:,} 单，其余的在之后的运行中处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；{count:,} 单符合但有同步冲突或待上传的改动，不会处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text}。{note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text}。下面的列表只显示前 {n:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不处理：{why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动化执行记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规则还没有执行过任何操作。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停发货的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这些订单暂停发货：解除前不能打印面单、不能发货。解除后规则不会再暂停同一订单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>解除暂停</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在发货中心查看</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>手动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即同步（F5）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待上传 {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>冲突 {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即上传（{waiting} 项）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃上传“{label}”？
本地的修改会保留，但平台上不会有这次修改；需要时请在平台后台手动处理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在上传等待中的修改……完成后这里会刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已重新排队，下次同步时上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已放弃上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保留本地的值，下次同步时上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已采用平台的值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成功</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>失败</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>进行中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>离线</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>需要重新授权</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台限流</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>中断</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>笔</source>
        <extracomment>How each kind of synced data is counted (&quot;订单：更新 3 笔&quot;); others count 条.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>个包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上传本地修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>核对店铺（{stream_label}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>核对店铺</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有需要上传的修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上传成功 {upserted} 项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{errors} 项未成功，见“待上传”或“冲突”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>，</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发送，等待平台确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}：更新 {upserted:,} {unit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有新变化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>其他</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用演示店铺熟悉功能</source>
        <extracomment>The three ways to begin: (key, button text, what it means).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成一个约 3 万个订单的演示店铺，全部为模拟数据，可以放心试用各项功能。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用订单导出文件开始</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建自己的店铺，导入从拼多多商家后台导出的订单文件（CSV / Excel），不需要开放平台账号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连接拼多多开放平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建自己的店铺并填写开放平台的应用凭据，订单、售后和商品自动同步。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>欢迎使用拼多多商家桌面助手</source>
        <extracomment>The merchant picked a way to begin: &quot;demo&quot;, &quot;file&quot; or &quot;api&quot;. The merchant closed the window and confirmed quitting.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这台电脑上还没有店铺数据。请选择开始的方式（以后随时可以在“店铺”菜单中新建或切换店铺）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出拼多多商家桌面助手</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有选择开始的方式。现在退出吗？
下次打开时会再次询问。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建店铺</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>例如：小王的女装店</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺名称显示在窗口标题上，也用作数据文件夹的名字；以后可以改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连接并同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开放平台网关</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在拼多多开放平台创建应用并授权店铺后可得到这些值。密钥和令牌只保存在系统钥匙串中，不写入数据文件或日志。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺：数据为模拟数据</source>
        <extracomment>The banner over a demo shop&apos;s pages.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺只有模拟数据，不能导入真实的订单文件，以免真假数据混在一起。

要导入自己的订单，请先新建一个真实店铺（店铺 → 新建店铺），再在新店铺中导入。</source>
        <extracomment>Why a demo shop takes no order files, and what to do instead.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多商家桌面助手 — {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（演示店铺 · 模拟数据）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>，操作不会影响任何真实店铺。</source>
        <extracomment>The module whose list a home counter opens (发货中心 for the rest); a counter whose module is not in the navigation is a plain figure. The visible page changed: its key. Open the shop in this folder instead (the app closes this one first). Rename the open shop to this name (the app closes and reopens it). Shown over every page of a demo shop, never hidden there.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建真实店铺…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}（Ctrl+{number}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击切换或管理店铺</source>
        <extracomment>The sync chip: state text; a click opens the 同步 window. The open shop&apos;s name; a click opens the switcher.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tooltip}
点击查看待上传、冲突和同步记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步未启用：在 设置 → 同步 中选择同步方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>切换店铺…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>给当前店铺改名…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>管理店铺（删除等）…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关于 / 诊断…</source>
        <extracomment>Opens 关于/诊断 (version, folders, the diagnostics package).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺：{shop_name}{mark} ▾</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>给当前店铺改名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺不能导入订单文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {count:,}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}：{text}</source>
        <extracomment>The user clicked a desktop notification; carries the ``context`` of the last notice. the last notice (title, text, problem) the status-bar text this notifier last wrote</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{current}&#x3000;·&#x3000;{notice}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已超时</source>
        <extracomment>A waiting case is shown red when the platform decides in less than this.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;售后单 {id}&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单号</source>
        <extracomment>Columns of the preview&apos;s order table.
----------
Columns of the held orders.
----------
Default widths fit the default window (1280×800, detail pane 260 px): 订单号 to 快递单号 with no sideways scrolling; buyer, receiver, times, flag and memos are one right-click away in the column chooser (the user&apos;s choice is remembered and wins over these defaults).
----------
Courier-table column → problem kind listed when a cell of it is clicked.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多开放平台没有提供协商记录接口：这里是同步到的售后状态变化和本机的处理记录，买家留言、凭证等完整协商记录请在拼多多商家后台查看。</source>
        <extracomment>Where the 协商记录 come from. The open platform&apos;s 售后 group (pdd-open-api.md §5: the list, detail, agree, return-agree, exchange-shipping, return-address, status-check and images APIs; checked against the SDKs&apos; API lists too) has no API for the negotiation messages between buyer, merchant and platform: the steps shown are the status changes the sync saw and this computer&apos;s own actions, and the full record stays in the merchant backend.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · &lt;span class=badge&gt;已在后台拒绝，待平台处理&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理截止</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{deadline_at}（剩余 {left}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退货物流</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家留言</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;金额&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请退款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单实付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款占实付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本单其他售后已退</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p class=danger&gt;退款合计超过订单实付，请核对&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;订单商品&lt;/h3&gt;&lt;table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span class=badge&gt;售后&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（{spec}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;收件人&lt;/h3&gt;&lt;p&gt;{receiver}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;协商记录&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p class=muted&gt;没有记录&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;本地操作（上传到平台）&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可不填；最多 {limit} 字，随操作上传到平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认后先在本机生效，下次同步时上传到拼多多。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后单 {id}（{type_label}）
订单 {order_sn}
商品：{goods}
原因：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同意退款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同意后平台将退款 {amount} 给买家，无法撤回。确认后先在本机生效，下次同步时上传到拼多多。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这是从拼多多同步的退货地址，买家看到的是商家后台里的内容；请在拼多多商家后台修改，下次同步后自动更新。</source>
        <extracomment>Under a synced return address in 同意退货 (the platform keeps it; edited in its backend).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这是本机保存的退货地址，可以在这里修改。已接入拼多多同步的店铺请优先选择从拼多多同步的地址。</source>
        <extracomment>Under a return address kept on this computer.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同意退货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增退货地址…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改此地址…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>［默认］{text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退货地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家将按此地址寄回商品；收到退货后再同意退款。确认后下次同步时上传到拼多多。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text}（本机）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认收到退货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认收货并退款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退货数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} 件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>完好，放回库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>损坏，记为报损</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>完好的件数加回库存（并同步到平台库存），损坏的件数记入库存流水的报损；同时同意退款 {amount}，无法撤回。确认后下次同步时上传到拼多多。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒绝售后申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已在商家后台拒绝，记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多开放平台没有「拒绝售后」的接口，本软件无法替您拒绝。请按以下步骤在商家后台操作：
1. 登录拼多多商家后台 {url}
2. 进入「售后」→「售后工作台」，搜索售后单号 {id}
3. 点击「拒绝」，填写拒绝原因并上传凭证图片
完成后在下面记下原因和凭证说明：本机会把此单标为「待平台处理」，同步到平台状态变化后自动更新。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择或填写拒绝原因（必填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>凭证说明，如：发货前称重照片、开箱视频已上传（可不填，最多 {limit} 字）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒绝原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>凭证说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>换货/补寄发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收件人：{receiver}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>包裹记在本订单的「补发」包裹里，发出的商品从库存扣减（库存流水记为换货/补寄发出，并同步到平台库存）；确认后下次同步时把快递公司和单号上传到拼多多的这个售后单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拦截发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>作废面单，拦截</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家申请了退款，而这个订单的面单已经打印、还没有发货。拦截后：本订单预留的电子面单号全部作废（平台面单号在下次同步时取消），请把已打包的商品拆包放回货架。未发货的订单本来就没有扣减库存，所以库存数不变。退款仍需另外处理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺还没有退货地址：请先同步店铺信息（拼多多商家后台的退货地址），或在打开的窗口中新增一个本机退货地址</source>
        <extracomment>Typing pauses this long before the search runs. The countdowns tick this often. 同意退货 without any return address.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后</source>
        <extracomment>The tab shown first: what waits for the merchant. Lists longer than this, in the default order, show their first screen before the rest. The rows put in at once for the first screen (a tall window shows about 40). The rest follows in chunks of this many rows, the event loop running in between.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快捷回复…</source>
        <extracomment>A list was shown (tests and benchmarks wait on it). The detail panel shows a case (its id). The list shown now (None before the first answer). The case in the detail panel and its data (None while loading). The dialog opened last (tests reach it here). The return-address form opened from 同意退货 (tests fill it). ``clock.now()`` when the table&apos;s countdowns were last written. Counts table fills; a deferred rest of an older fill is dropped. an alert&apos;s cases: only these are listed The 退款统计 dialog while open.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最近 {shown:,} 单 / 共 {total:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已完成、已关闭的售后单只列出最近的 {shown:,} 单，更早的请按订单号或售后单号搜索。共 {total:,} 单，申请退款合计 {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {shown:,} 单 · 申请退款合计 {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（{upload_state}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（已在后台拒绝，待平台处理）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机已处理，尚未上传到平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已记录在商家后台拒绝；同步到平台状态变化后自动更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台将于 {time} 自动处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先在左侧选择一个售后单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在读取售后单…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同意买家的退款申请，平台将退款 {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同意买家退货，并告诉买家寄回的地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收到买家寄回的商品：完好的放回库存，损坏的记为报损，然后退款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填写换货/补寄包裹的快递公司和单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家要退款而面单已打印：作废面单，已打包的商品放回货架</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台没有拒绝接口：查看在商家后台拒绝的步骤，并记下原因和凭证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已同意退款，等待同步上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已同意退货，等待同步上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增退货地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改退货地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已确认收货：库存已更新，同意退款等待同步上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已记录拒绝，等待平台处理；同步后显示平台状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发货，等待同步上传到平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已拦截：面单已作废，请把已打包的商品放回货架</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后单号</source>
        <extracomment>(key, header, width) of the case table, in order.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>剩余处理时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增</source>
        <extracomment>File types the import understands.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无变化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未识别（忽略）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重复的列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已拒绝</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已检查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行号</source>
        <extracomment>The preview of an ad report (推广商品): one row per day × plan × goods.
----------
The preview of a bill (货款账单): its lines.
----------
The preview of a 客服 export: one row per day (shop) or per agent and day.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入后</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发生时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>业务描述</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导入过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>咨询人数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3分钟人工回复率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>账单</source>
        <extracomment>The tabs, in order (the stack&apos;s pages follow it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动报名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺客服数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>客服绩效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件中的列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对应</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>表格或账单文件 (*.csv *.xlsx *.xlsm *.zip);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推广报表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>部分导入（{rejected:,} 行未导入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入订单文件</source>
        <extracomment>Data changed (Changes), for the pages to refresh. A check finished and its report is shown.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>或</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把拼多多商家后台导出的{kinds}（.csv / .xlsx / .zip）拖到这里，或者</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有选择文件。导入前会先检查每一行，检查不会改动任何数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览</source>
        <extracomment>The settings the shown preview was made for (None: no preview yet, or edited since).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>列对应</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只导入正确的行…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有错误的行不导入，并记录为已拒绝；其他行照常导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择订单导出文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查 {file_name} …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消检查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file_name}：{message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>错误 {bad_rows}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只导入正确的 {rows_ok:,} 行…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只导入正确的行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{bad_rows:,} 行有错误，这些行不会导入（记为已拒绝）；其余 {rows_ok:,} 行将导入。
确定只导入正确的行吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消导入，数据没有改动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有售后单。买家的退款、退货申请由同步从拼多多取得：在 设置 → 同步方式 选择“拼多多开放平台 API”并填写应用信息后，每次同步都会带来新的售后单；导入的订单表只带来订单的售后状态。</source>
        <extracomment>What the list says while the shop has no after-sales case at all.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单号或售后单号（完整或任意片段）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按日、商品、原因统计退款金额，以及各商品的退款率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只显示这些售后单；点击取消这个条件</source>
        <extracomment>Shown while the list is limited to an alert&apos;s cases; a click clears it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒绝…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择一个售后单查看详情</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>改库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填写修改后的总库存（不是增减数量）。保存后下次同步时上传到拼多多。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未发货订单占用 {held:,}，修改后可用 {available:,}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>改价格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前：拼单价 {group_price}，单买价 {single_price}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼单价（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单买价（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多要求拼单价低于单买价。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请填写金额，保留两位小数，例如 19.90。拼单价须低于单买价。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>价格应大于 0 且不超过 {amount}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼单价 {group_price} 不低于单买价 {single_price}：拼多多要求拼单价低于单买价。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已修改，等待同步上传</source>
        <extracomment>The merchant backend, where listings are made. The status line after a successful edit.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在售</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已下架</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text} · 待上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{sku_count}（{low_sku_count} 个库存低）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商家编码也保存在拼多多商家后台。已接入拼多多同步的店铺，商品在后台有变动时会以后台的编码为准，请在商家后台同样修改。</source>
        <extracomment>A seller code lives on the platform too (no API to change it): said where it is edited.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本与预警</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本价（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>留空表示未知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存预警值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商家编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>将修改所选的 {count:,} 个规格；只修改勾选的项目。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本价用于计算利润，只保存在本机；可用库存不高于预警值时标为库存不足。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本价历史</source>
        <extracomment>成本价历史 of a single SKU (filled by :meth:`show_history`); None for several SKUs.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有成本价记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source}（{note}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本价请填写金额，最多两位小数，例如 12.50；留空表示未知。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本价不能超过 {amount}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>承诺发货时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>将修改所选的 {count:,} 个商品；只修改勾选的项目。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>承诺发货时间（拼团成功后多少小时内发货）保存在本机，供备货参考；平台上的承诺时间请在商家后台修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新商品请在拼多多商家后台发布（商品管理 → 发布新商品）：发布商品需要选择类目、填写类目属性、设置运费模板并上传图片，本软件不能代为发布。

发布后，已接入拼多多同步的店铺会在下次同步时把新商品带到这里；用表格管理的店铺可以用“导入商品表”添加。</source>
        <extracomment>Typing pauses this long before the search runs. Thumbnails are asked for once scrolling pauses this long (a fling asks for nothing on the way). Stock movements shown for the selected SKU. Why 发布新商品 is not done here. The open platform has a goods-add API (``pdd.goods.add``, listed in the SDK index of SchafferJ/open-pdd ``src/http/model/goods/mod.rs``; not in pdd-open-api.md §6), but a listing needs the category&apos;s properties, a freight template and images uploaded through further APIs first: the app does not create listings rather than half-create them.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>主图</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规格数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>总库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可用库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼单价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>总库存 {total_stock:,} − 未发货订单占用 {held:,}</source>
        <extracomment>The thumbnail of an image URL (a lookup, never a load); None: no thumbnail column art.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{low_sku_count} 个规格的可用库存不高于预警值；选中商品后在规格表中标红</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机修改尚未同步到拼多多</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部类型</source>
        <extracomment>A list answer was shown (tests and benchmarks wait on it). The SKU table shows a goods (its id). an alert&apos;s SKUs: only their goods are listed</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ {label}（{count:,} 个规格）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {count:,} 个商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择一个商品查看规格和库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下架</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（待上传）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}&#x3000;{state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品ID {goods_id}&#x3000;商家编码 {outer_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上架</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>、</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（默认规格）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规格ID {sku_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；可用库存不高于预警值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本价未填写</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待发货、未退款订单中的件数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可用库存不高于预警值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待上传：{pending}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存流水</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（最近 {limit} 条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存流水：{spec}{latest}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>默认规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后单 {after_sale_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&#x3000;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>，商家编码 {outer_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}
规格：{spec}{code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{saved}（库存 {seen:,} → {quantity:,}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{saved}（拼单价 {group_price}，单买价 {single_price}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}
已选 {count:,} 个规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存 {count:,} 个规格的修改（只保存在本机）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已选 {goods:,} 个商品，共 {count:,} 个规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存 {goods:,} 个商品全部规格的修改（只保存在本机）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已选 {count:,} 个商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存 {count:,} 个商品的设置（只保存在本机）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已入库 {quantity:,} 件，等待同步上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入盘点表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>表格文件 (*.xlsx *.csv);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>盘点表-{stamp}.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出盘点表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺还没有商品，无法生成盘点表；请先导入商品表或同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出 {rows:,} 个规格的盘点表到 {name}；填写“盘点数量”后用“盘点导入”导回</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出盘点表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查盘点表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>盘点已应用：{changed:,} 个规格的库存已调整，等待同步上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发布新商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开拼多多商家后台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品库存-{stamp}.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺还没有商品，没有可导出的内容；请先导入商品表或同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出 {rows:,} 个规格到 {name}；修改后可用“导入商品表”导回</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家将可以购买此商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家将无法再购买此商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认{action}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确定{action}「{name}」吗？
{effect}；下次同步时上传到拼多多。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{saved}（{action}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>入库</source>
        <extracomment>Rows of a count sheet the dialog lists (differences or problems); the rest are counted.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不填则成本价不变</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>例如供应商、采购单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前成本价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未填写</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>入库数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>进货单价（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>笔数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>净额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>账务类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入账单…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入从 对账中心 → 账单 下载的账单（.zip 或 .csv）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按订单号查找账单行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出账目表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有账单。从拼多多商家后台 对账中心 → 账单 下载账单（.zip），点“导入账单…”导入；连接开放平台的店铺同步时会自动取每天的货款日账单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存增加入库数量，下次同步时上传到拼多多。填写进货单价时，成本价按移动平均更新：（现成本 × 现有库存 + 进货单价 × 入库数量）÷ 入库后库存。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>进货单价请填写金额，最多两位小数，例如 12.50。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>进货单价不能超过 {amount}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>盘点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>应用盘点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file_name}：{bad_rows:,} 行有问题，请改正后重新导入（没有修改任何库存）。其余 {good:,} 行正确。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file_name}：{lines:,} 个规格，{changed:,} 个有差异（盘盈 {added:,} 件，盘亏 {removed:,} 件），{same:,} 个无差异。应用后库存改为盘点数量，并在下次同步时上传到拼多多。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file_name}：{lines:,} 个规格的盘点数量与库存一致，无需调整。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>盘点数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>差异</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>例如 月底盘点、破损清点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>盘点原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单买价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有商品。点“导入商品表…”导入拼多多商家后台 商品管理 导出的商品/库存表；接入拼多多开放平台的店铺同步后会自动带来全部商品。新商品需要在拼多多商家后台发布。</source>
        <extracomment>Columns of the SKU table. Goods thumbnails (the list&apos;s 主图 column) and the row height that holds them. What the list says while the shop has no goods at all.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未发货占用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预警值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重量(g)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>变动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>变动后库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单号 / 备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入商品表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入拼多多后台导出的商品/库存表（CSV 或 XLSX）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出商品…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把全部商品和库存导出为表格（与导入商品表的格式相同，可修改后再导入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>盘点导入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入盘点表（样式ID 或 商家编码 + 盘点数量），把库存改为盘点数量并记录差异</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出盘点表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出全部规格的盘点表（含账面库存），填写“盘点数量”后用“盘点导入”导回</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发布新商品…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新商品需要在拼多多商家后台发布</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品名称 / 商品ID / 商家编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只显示这些规格所在的商品；点击取消这个条件</source>
        <extracomment>Shown while the list is limited to an alert&apos;s SKUs; a click clears it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>入库…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成本/预警…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品设置…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所选规格采购入库：增加库存并按进货单价更新成本价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改所选规格（可多选）的成本价、库存预警值和商家编码；只保存在本机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改所选商品（可多选）的承诺发货时间和商家编码；只保存在本机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改所选规格的库存；下次同步时上传到拼多多</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改所选规格的拼单价和单买价；下次同步时上传到拼多多</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上架或下架所选商品；下次同步时上传到拼多多</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>工作台</source>
        <extracomment>Deadlines move with the clock even when no data changes. The 物流异常 counter&apos;s own tooltip.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（演示店铺）</source>
        <extracomment>A counter was clicked: its key (e.g. &quot;overdue&quot;), for the shell to open the filtered list. A snapshot was shown (the start-up benchmark waits for the first one). An alert&apos;s open button: its ``AlertRow`` (the shell opens its orders, SKUs or cases). The alerts panel was filled (tests wait for it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步状态：{text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出图片</source>
        <extracomment>Series colours after the accent: the app&apos;s palette. What is drawn, for tests and the read-out: category labels and their read-out texts. Drawn series: name → values (in the plot&apos;s units).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把这张图保存为 PNG 图片</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把这张图的数据保存为 CSV 或 Excel 文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在加载…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在更新…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{refunds:,} 笔 / {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>极速发货赔付风险：{at_risk:,} 单即将或已经超时，可能赔付 {amount}（每单 {per_order}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>周一</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>周二</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>周三</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>周四</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>周五</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>周六</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>周日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所选日期内没有支付订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未填成本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单没有买家标识（订单文件和平台接口都不提供），无法按买家统计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上一周期无数据</source>
        <extracomment>table rows filled per event-loop turn goods in the late-shipping chart (most late orders first)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>较上一周期 {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} ~ {last}（共 {days} 天）</source>
        <extracomment>Open 发货中心 with this :class:`~pdd_desktop.services.orders.OrderFilter`. A tab&apos;s figures were drawn completely: its key (overview / hot / customers). fills the stock table not on show, once 商品分析 is complete Milliseconds from the request to the complete view, per tab (benchmarks).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>读取失败：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更新于 {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n:,} 笔 / {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>鼠标移到柱子上看数值，点击查看这些订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成交金额（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有买家标识</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}：成交 {gmv}，订单 {orders:,}，买家 {buyers}，客单价 {aov}，退款 {refunds:,} 笔</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已售罄</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>从未成交</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存可售天数（按近 {days} 天销量）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>滞销商品（{days} 天以上未成交，{n} 个）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{band}：{skus:,} 个规格，{units:,} 件，成交金额 {gmv}（占 {share:.1f}%）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每个规格按所选日期内的成交均价（成交金额 ÷ 件数）归档；点击柱子查看这些订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所选日期内没有带承诺发货时间的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超时发货占比 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}：{late:,} / {due:,} 单超时（{rate:.1f}%）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>晚于承诺发货时间发货，或已过承诺发货时间仍未发货；点击查看这些订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品排行（前 {n} 名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规格排行（前 {n} 名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击柱子查看这些订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每日走势：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day}：成交金额 {gmv}，件数 {units:,}，订单 {orders:,}；7日平均成交金额 {avg}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7日平均（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击柱子查看这一天这个商品的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不含没有买家标识的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首次购买在所选日期内</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>之前买过的买家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n:,} 人在所选日期内购买 2 次及以上</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单没有买家标识</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day}：买家 {buyers:,}，新买家 {new:,}，老买家 {returning:,}（点击查看当天的支付订单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新买家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>老买家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}：{buyers:,} 人，消费 {gmv}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天购买 · 购买2次及以上 · 消费不低于中位数 {line}；点击查看该分群在所选日期内的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{province}：订单 {orders:,}，成交金额 {gmv}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day} {hour}:00–{hour}:59：订单 {orders:,}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>鼠标移到格子上看数值；颜色越深订单越多</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{band}：{n:,} 人第二次购买（首单买家 {new:,} 人）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} {spec}：{gmv}，{units:,} 件，{orders:,} 单，买家 {buyers}，退款率 {rate}，环比 {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首单买家 {new:,} 人，{rep:,} 人再次购买（{rate:.1f}%），间隔中位数 {median} 天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首单在所选日期内的买家还没有人再次购买</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>累计消费 {band}：{n:,} 人，共 {gmv}（点击查看他们在所选日期内的订单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按每位买家的全部历史累计消费分档；点击查看这些买家在所选日期内的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首单月份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第{k}个月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据：{province}的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未知省份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据：{day} {hour} 点下单的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据：{name}在所选日期内的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据：复购间隔{band}的买家的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据：累计消费{band}的买家的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据：价格带{band}的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据：{name}超时发货的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG 图片 (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>图片已保存：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据已保存：{path}（{n} 行）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{low}以上</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>图片没有保存：无法写入 {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
另有 {unqueried_parcels:,} 个在途包裹尚未查询物流轨迹（同步时自动查询），不计入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺：数据由本机生成，还没有完成过同步。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有完成过同步：显示的是本机数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最近同步：{when}（{label}，{state}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待发货</source>
        <extracomment>(key, label, tooltip, alert-when-non-zero), in the order product.md lists them.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已付款、已成团、尚未发货的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>即将超时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>距承诺发货时间不足设定小时数（默认 6 小时）的待发货订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已过承诺发货时间仍未发货的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待处理售后</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>等待商家处理的售后单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后即将超时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台即将自动处理的待处理售后单（默认 12 小时内）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存不足</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在售规格中库存不高于预警值的数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物流异常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货后超时未揽收、长时间无轨迹或快递报异常的包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未读消息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未读站内信</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本地已操作、尚未同步到平台的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预警提醒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近 7 天</source>
        <extracomment>The range choices: (days, label).
----------
The periods offered, in days.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近 30 天</source>
        <extracomment>The range choices: key → shown text.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近 90 天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按推广计划</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推广名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推广场景</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>花费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>交易额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成交笔数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每笔成交花费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保本 ROI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>毛利率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROI 连续这么多天低于保本 ROI 时标红并提醒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入推广报表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推广中心 → 商品推广 → 报表下载，导出「推广商品」报表（CSV 或 Excel）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成演示报表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用演示店铺最近 30 天的订单生成一份推广报表并导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连续低于保本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推广数据来自推广后台导出的「推广商品」报表，导入时用报表的「总计」行核对。ROI = 交易额 ÷ 花费；保本 ROI = 1 ÷ 毛利率（毛利率按商品的拼单价和成本价计算）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有推广数据。请在推广中心 → 商品推广 → 工具 → 报表下载，按天导出「推广商品」报表（CSV 或 Excel），再点「导入推广报表…」。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款统计</source>
        <extracomment>The user chose another period (days).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款单数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支付订单</source>
        <extracomment>(key, row label) of the figures table; columns are 今日 / 昨日 / 近7天.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已退款订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品退款率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款按售后单「退款成功」的日期统计（北京时间）；退款率 = 期间内支付的订单中，该商品已退款成功的订单数 ÷ 支付订单数。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{start} 至 {end}：退款成功 {cases:,} 单，共 {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成交金额</source>
        <extracomment>经营概况 cards: (key, caption).
----------
商品分析 ranking metrics: (key, label).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自定义</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>经营概况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品分析</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>客户分析</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按周</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支付买家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>客单价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款成功</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复购率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>毛利</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>排名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成交金额环比</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ABC分类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>毛利（按您录入的成本价）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超时发货占比</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最后成交</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未成交天数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近期销量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可售天数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预计售罄</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期范围</source>
        <extracomment>bars in the ranking chart (the table lists all)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按支付时间（北京时间）统计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>汇总方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击柱子或点查看这些订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单与买家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>排行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击柱子查看这些订单；在表格中选一个商品看它的每日走势</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每日走势</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>价格带（按成交均价）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成交均价（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>累计消费（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超时发货占比（按商品）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>库存可售天数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>滞销商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新老买家（每天）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RFM 客户分群（截至今天的全部历史）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>省份分布（订单数）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下单时段（星期 × 小时，订单数）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>月度留存（首单月份的买家在之后各月再次购买的比例）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复购间隔（首单在所选日期内的买家）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>消费金额分布（买家累计消费）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>昨日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近7天</source>
        <extracomment>(days, label); 近30天 is the default.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待办事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>经营数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货</source>
        <extracomment>Orders one scan run walks at most. The tooltip when enabled (default: the action&apos;s own text).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>给选中的一个待发货订单填写快递单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>强制发货…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单有售后时，填写原因后仍然发货（记入操作日志）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批量发货（电子面单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用电子面单号批量发货选中的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>扫描发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逐个订单扫描快递单号后一起发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无物流发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选中的订单不需要快递（虚拟商品、自提）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>合并发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同一买家同一地址的订单用一个单号发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>补充包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>给已发货订单添加分包、补发或赠品包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更换已发货订单的快递公司或单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>撤销还没有上传到平台的发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入发货文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入 订单号/快递公司/快递单号 表格（CSV 或 Excel）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出上传文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出还没有被平台确认的发货，用于在后台批量上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入平台订单…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入拼多多后台导出的订单文件（CSV/Excel），更新本地订单；也可以把文件拖到窗口上</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把当前筛选出的订单导出为 Excel 或 CSV（收件人信息默认打码）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择一个订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有已发货（待签收）的订单可以修改或取消发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先选择待发货订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选中的订单都不能发货（见发货按钮提示）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先选择一个待发货订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货一次只能选一个订单；多个订单请用批量发货或扫描发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只用于有售后、需要强制发货的单个待发货订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}；填写原因后仍可发货（记入操作日志）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>扫描发货一次最多 {limit} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn}：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有已发货的订单可以补充包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已同步到平台，只能修改发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前列表没有订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{order_sn}：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已选 {count:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} 已发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批量发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有电子面单账号，请先在设置中添加并充值面单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发货 {shipped_count:,} 单，未发货 {skipped_count:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count:,} 个订单已无物流发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有可以合并发货的订单（需要同一买家、收件人和地址完全相同的待发货订单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} 个订单已合并发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} 已添加包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} 已修改发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} 已取消发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货表格 (*.xlsx *.csv);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批量发货.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查发货文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file_name}：正确 {count:,} 行，有问题 {bad_rows:,} 行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单-{stamp}.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>完整收件人信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收件人信息已打码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出 {rows:,} 个订单到 {name}（{masked}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出 {count:,} 行到 {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出上传文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已超时 </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已暂停</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动化规则</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已暂停发货（{by}）：{reason}
解除暂停前不能打单、发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已打印×{print_count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>·待上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货倒计时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>承诺发货时间 {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>件数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>实付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收件人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>地区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下单时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支付时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快递单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>旗帜</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商家备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;订单 {order_sn}&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p class=danger&gt;已暂停发货：{reason}&lt;br&gt;由{by}暂停于 {time}，解除暂停前不能打单、发货&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;收件：{receiver_masked}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;买家留言：{buyer_memo}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;商家备注：{seller_memo}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;商品&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品总价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>邮费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台优惠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺优惠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>改价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>多多支付立减</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未结算</source>
        <extracomment>未结算, 重复结算 and 金额不符 together: the orders of the alert 账单对不上. The lists: key → shown name (statuses of services.reconcile, the charges with no order, all).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重复结算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额不符</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对不上的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无对应订单的账单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未到结算时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>账单未覆盖</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已结算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认收货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>应结算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户实付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>应结算金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结算笔数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>差额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认收货后多少天内应在账单里看到这笔订单的货款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出对账表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结算天数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按确认收货时间统计订单。确认收货后超过结算天数、且这段时间的账单都已导入，仍没有“交易收入-订单收入”的订单算作未结算；账单没导全的日子无法判断，列为账单未覆盖。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>列表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无对应订单 {n:,}</source>
        <extracomment>The list to choose when the next answer arrives (an alert opened the tab).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n:,} 单：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}（{n:,}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这些账单行写着店铺里没有的订单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击一行在发货中心查看这笔订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另有 {n:,} 笔无对应订单的账单：在“列表”中选“无对应订单的账单”查看</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对账 {first} ～ {last}：{list}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商家实收</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;时间&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;包裹与物流&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（已作废：{void_reason}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · 轨迹更新于 {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · 物流轨迹未查询</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;{kind_label} {courier} {number} · {time} 发货{state}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;电子面单&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;售后&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · 平台处理截止 {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;操作日志&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{style}&lt;p class=danger&gt;完整收件信息（已记录查看）：{name} {phone} {address}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>输入或扫描快递单号</source>
        <extracomment>The number became valid (True) or invalid (False).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快递公司</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重量上限（克，0 为不限）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首重（克）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首重价格（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>续重单位（克）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>续重价格（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>运费价格表</source>
        <extracomment>Columns holding yuan (the others hold whole grams).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按快递公司和重量段填写每单运费：首重价格含首重以内的重量，超出的部分每满一个续重单位（不足按一个算）加一次续重价格。“默认（所有快递）”用于没有单独填写的快递公司。商品没填重量时按首重价格计。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加一行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除选中行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>默认（所有快递）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快递 {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 {row} 行“{column}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where}没有填写</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where}应为金额（元，最多两位小数），收到“{text}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where}应为整数克数，收到“{text}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择快递公司</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单号：{order_sn}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>注意：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>强制发货原因（必填，记入操作日志）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>强制发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货 {order_count:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（默认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{courier_name} · {branch}{default} — 可用 {free_numbers:,} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>面单账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有电子面单账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>将为选中的 {order_count:,} 个订单依次分配{courier_name}面单号；不能发货的订单会跳过并说明原因。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
面单号只剩 {free_numbers:,} 个，超出的订单不会发货。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；已取消，还有 {not_reached_count:,} 单没有处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快递单号 / 原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 {row_no} 行 {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无物流</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{order_count:,} 个订单将标记为已发货（无物流），不填写快递单号。
只用于虚拟商品、自提或同城送货的订单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>扫描快递单号（扫码枪会自动回车）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>跳过此单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快递单号 {number} 已用于订单 {used}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货 {count} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已扫描 {count}/{total} 单，全部订单已处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 {number}/{total} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同一买家、收件人和地址完全相同的待发货订单，可以用一个快递单号一起发货：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最早承诺发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>包裹类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>例如：单号填错、换了快递公司</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>返回</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} 将回到待发货，包裹作废，库存退回。
合并发货的包裹会连同其他订单一起取消。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消原因（必填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查发货文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货 {good:,} 个正确行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file_name}：共 {rows_total:,} 行，正确 {good:,} 行，有问题 {bad_rows:,} 行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有问题的行不会发货；可以改好文件后重新导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出订单列表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出当前筛选出的 {count:,} 个订单（顺序与列表相同）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存位置（.xlsx 或 .csv）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单列表（每个订单一行）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多后台导出格式（每个商品一行，可再导入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>包含完整的收件人姓名、手机号和详细地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>默认导出打码后的信息（如 138****1234）；导出完整信息会记入操作日志</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出完整信息的原因（必填，记入操作日志）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改备注</source>
        <extracomment>The platform&apos;s five flag colours, in its order.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无旗帜</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有自己能看到的备注，例如：先发顺丰、少一件已联系买家</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单开票 · {order_sn}</source>
        <extracomment>Emitted with the service&apos;s ``Changes`` after each successful write.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家实付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>个人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>企业</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>抬头类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>个人姓名或单位全称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15、18 或 20 位纳税人识别号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>接收电子发票的邮箱（可不填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>默认买家实付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发票抬头</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>税号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>邮箱</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开票金额（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开票状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发票文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开具发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标记已上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在拼多多商家后台上传发票后点这里</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先保存申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成 PDF 发票并标记为已开票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（本机没有该发票的 PDF）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开票金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开票申请已保存，可以开具发票了</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在开具发票…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已开具发票 {invoice_no}（{time}）。在拼多多商家后台上传后，请点“标记已上传”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已标记为已上传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近90天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该时间段内没有发货记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平均发货时长</source>
        <extracomment>KPI cards: (key, caption, tooltip, alert-when-non-zero).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>从拼单成功到订单首个包裹发货的平均时长</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>延迟发货率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首个包裹晚于承诺发货时间发出的订单占比</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>揽收超时（24h未揽收）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货后超时仍无揽收记录的包裹，平台可能判为虚假发货。点击查看</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物流停滞（48h无更新）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未签收且长时间没有新物流轨迹的包裹。点击查看</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快递异常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快递员在轨迹中报告拒收、退回、问题件或滞留的包裹。点击查看</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>揽收超时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物流停滞</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题包裹：点击“揽收超时”“物流停滞”“快递异常”卡片或快递公司的对应列查看</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>包裹数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>延迟率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24h未揽收</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>48h无更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>运单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最后轨迹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{sign}{hours}小时{minutes}分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>延迟率 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物流概况</source>
        <extracomment>What is drawn, for tests: (parcels per day, late share % per day or None). A result (overview) was displayed. A problem-parcel list was displayed.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按包裹发货时间统计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>统计周期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击“24h未揽收”“48h无更新”或“快递异常”列查看该快递的问题包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>统计失败：{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} 至 {time2}，更新于 {updated}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}，揽收超时、物流停滞和快递异常不作统计。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{unqueried:,} 个在途包裹尚未查询物流轨迹（同步时自动查询），未计入异常。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>揽收超时（{no_pickup_hours}h未揽收）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物流停滞（{stalled_hours}h无更新）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首个包裹晚于承诺发货时间发出的订单占比：{late_orders:,} / {deadline_orders:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{no_pickup_hours}h未揽收</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{stalled_hours}h无更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{no_logistics:,}（无物流）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击查看这些包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{courier}{name}包裹：加载中…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（显示最早的 {limit} 个）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}包裹：{count:,} 个{more}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}：没有问题包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 等{count}单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无轨迹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货中心</source>
        <extracomment>Ids of the first screen, fetched before the full id list. Rows loaded with those ids, so a new result paints at once (a tall window shows ~45). Typing pauses this long before the query runs. The deadline countdowns tick this often. Home counter → the view of this page that lists those orders.
----------
Combo data of the &quot;自定义…&quot; item: the range comes from the two date edits.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单</source>
        <extracomment>A query finished and the table shows its first screen (benchmarks and tests wait on it). The detail pane shows an order. The selection or the list under it changed (the new :class:`OrderSelection`). 数据&apos;s click-through: exactly these orders 订单 (the workbench), 物流概况 and 电子面单, one module in the side navigation.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电子面单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ {label}（{count:,} 单）</source>
        <extracomment>The last confirmation asked (删除此常用筛选), for tests. The table&apos;s context menu shown last (tests trigger its actions).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自定义日期：开始日期不能晚于结束日期，请重新选择</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下单日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支付日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {total:,} 单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>极速发货：{at_risk:,} 单即将或已经超时，可能赔付 {exposure}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复制订单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择一张订单后再用快捷回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（选择）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存筛选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除常用筛选“{name}”（订单不受影响）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先在左边选择一个常用筛选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除常用筛选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除常用筛选“{name}”？
只删除这个保存的筛选条件，订单不受影响。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当日 3分钟
(8-23点)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当日 3分钟
(全天)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当日 30秒
(8-23点)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当日 30秒
(全天)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天 3分钟
(8-23点)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天 3分钟
(全天)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天 30秒
(8-23点)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天 30秒
(全天)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天
询单转化率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>时段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>需要人工回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近30天平均
人工响应时长</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3分钟未回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30秒未应答</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3分钟回复率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入客服数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入商家后台导出的店铺客服数据或客服绩效（CSV 或 Excel）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回复率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存目标</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>目标：3分钟人工回复率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30秒应答率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单号，用来填写变量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按订单填写</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>编辑</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{start} 至 {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}：{text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印面单</source>
        <extracomment>Orders named one by one in the reprint question; more are summed up. The last print-component session&apos;s result (tests).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>为选中的订单打印快递面单（没有单号的订单从电子面单账号取号）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印拣货单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选中订单的商品按商家编码汇总，方便配货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印发货单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每个订单一张发货单，放进包裹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开票…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录买家的开票申请，开具发票 PDF，标记已上传（选中一个订单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印面单、拣货单或发货单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{order_sn}：已打印 {times} 次，最近 {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>……还有 {count} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重复打印{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选中的 {count:,} 个订单中，有 {count2:,} 个已经打印过{name}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
重复贴面单可能导致同一订单发出两个包裹。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部重新打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只打印未打印的 {count:,} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消生成{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}：{count:,} 个订单，{pages:,} 页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动价低于成本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全店商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>营销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>优惠券 {coupons} · 限时限量购 {discounts} · 活动报名 {activities}</source>
        <extracomment>The page&apos;s lists were filled (tests wait on it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{units} 件无成本价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有优惠券或活动：新建一张优惠券，或导入活动报名记录；同步会带来平台上已有的优惠券和限时限量购。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改优惠券</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建优惠券</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改限时限量购</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建限时限量购</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束活动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确定结束“{name}”吗？结束后不能恢复。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入活动报名记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 等 {count:,} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未生成 {count:,} 个：{reasons}{more}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台电子面单 {count:,} 张，通过拼多多打印组件打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{order_sn}：没有生成，{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{order_sn}（面单 {number}）：{status}{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>，{message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多打印组件：{printer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在通过拼多多打印组件打印面单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已打印{name} {count:,} 个订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不限</source>
        <extracomment>Time range presets of the filter bar: (key, label, days back; None = no limit).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今天</source>
        <extracomment>(key, label) of the range picker; ``custom`` shows the two date fields.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近3天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单号（完整或任意片段）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家昵称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收件人姓名或手机号（精确）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品名 / 商品ID / 规格ID / 商家编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>留言或备注内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>旗帜：全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>红黄绿蓝紫</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}旗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印：全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下单：{label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支付：{label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下单：自定义…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>支付：自定义…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本月（{month}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自定义日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>月份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除此常用筛选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除上面选中的常用筛选（订单不受影响）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只显示这些订单；点击取消这个条件</source>
        <extracomment>Shown while the list is limited to given orders (数据&apos;s click-through); a click clears it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>常用筛选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择一个订单查看详情</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看完整收件信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>显示未打码的姓名、电话和地址；每次查看都会记入操作日志</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改备注/旗帜</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商家备注和旗帜只有自己能看到；下次同步时更新到平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺：{name}</source>
        <extracomment>How a backup&apos;s time reads in the list (Beijing time).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上次自动备份：{time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有自动备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已备份（{name}），并已通过完整性校验</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用 {time} 的{kind}备份替换当前店铺数据？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复前会先把当前数据另存为一份“恢复前”备份，需要时可以再恢复回来。恢复时窗口会关闭，完成后重新打开这个店铺；同步会暂停到重新打开为止。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择自动备份文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺的备份文件夹（默认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备份设置已保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备份时间</source>
        <extracomment>Columns of the backup table.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>大小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据与备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每天自动备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>北京时间；电脑在这个时间没开机时，下次打开程序时补做</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每天备份时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只删除更早的自动备份；手动备份和恢复前、升级前的备份不会被删除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保留最近</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用店铺的备份文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动备份保存到</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存备份设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已有备份（最新在前，北京时间）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复所选…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用所选备份替换当前数据；当前数据会先另存为一份“恢复前”备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设置</source>
        <extracomment>Settings edited in the 开票信息 group; the view&apos;s editors have the same names.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今天执行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上次运行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规则在每次同步后和每 5 分钟自动运行，和手动操作一样上传平台并记入操作记录；有同步冲突或还有改动在等待上传的订单不会被处理。启用前会先预览将处理的订单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览并启用…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改设置…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用这条规则：不再自动运行，设置和执行记录都保留，可随时重新启用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即运行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>马上按当前设置运行一次（定时打印也会马上打印一批）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执行记录…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停发货的订单…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>网点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>剩余单量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>默认</source>
        <extracomment>Orders to show in 发货中心 (an automation rule&apos;s preview, the held orders). The open 关于/诊断 dialog (tests drive it). 数据与备份 (its own controller, ``backups.py``). 自动化 (its own controller, ``automation.py``). The sender addresses shown (default first); the open address dialog, for tests.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有电子面单账号。请先在拼多多商家后台开通电子面单，同步后这里会显示各网点的余额。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电子面单账号</source>
        <extracomment>The table was filled.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印面单时，平台电子面单账号会向拼多多取号（需要联网）；每家快递公司可设一个默认网点。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设为该快递默认网点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>作废面单（揽收前）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>输入或扫描面单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>作废</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>读取电子面单账号失败：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>余额不多了，请及时在快递网点充值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已将 {branch} 设为{courier}的默认网点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请输入要作废的面单号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>面单 {number} 已作废；平台电子面单会在下次同步时取消并退回余额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加发货地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>编辑发货地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除发货地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除发货地址“{text}”？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择自动导入文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择打印字体</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TrueType 字体 (*.ttf *.ttc);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查字体…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>内置字体（不嵌入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{where}（已嵌入 PDF）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超时赔付：{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已启用</source>
        <extracomment>A rule to select once the list is read (an alert about it was opened).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未启用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（失败 {n} 次）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>「{rule}」上次失败：{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动化规则「{rule}」将处理的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>「{rule}」已停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>「{rule}」没有运行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>「{rule}」运行失败：{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>「{rule}」已处理 {done} 单，{refused} 单未处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存（留空不修改）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存，下次同步起生效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动（演示店铺用演示沙箱，其他不同步）</source>
        <extracomment>(settings value, label) of the sync modes.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示沙箱（本机模拟的平台）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多开放平台 API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不同步（只用文件导入导出）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货与售后规则</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 小时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已开通极速发货（成团后 24 小时内发货）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>例如 3.00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>即将超时提醒：距承诺发货时间不足</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>极速发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超时赔付（元/单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后即将超时提醒：距平台自动处理不足</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物流异常：发货后未揽收超过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物流异常：无物流轨迹超过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存规则</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发货地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加发货地址…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>编辑…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设为默认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>面单上打印默认发货地址。退货地址从拼多多商家后台同步，请在后台修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开票信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>营业执照上的名称，例如 杭州某某日用品有限公司</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15、18 或 20 位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>销售方名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>纳税人识别号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>地址、电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开户行及账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开票人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存开票信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动同步间隔</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密钥和令牌只保存在系统钥匙串中，不写入数据文件或日志。留空的项保持不变。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存同步设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件导入（本机）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动导入文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放进这个文件夹（例如浏览器的下载文件夹）的订单导出文件会自动导入；有错误的文件不会导入，会在状态栏提示。选择时文件夹里已有的文件不会导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印（本机）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>面单纸的尺寸；每台电脑单独设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>面单尺寸</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择字体文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用系统里找到的中文字体</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印字体</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>76×130 mm（默认，一联单）</source>
        <extracomment>(template name under resources/templates, label in the settings page); the first is the default.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成演示店铺</source>
        <extracomment>Orders in the demo shop built on a first start (the CLI builds any size). Set by the start-up benchmark: print the time of the first painted home page, then quit. The daily automatic backup: first look this long after start (the first paint comes first), then every few minutes (a cheap settings read and a folder listing; the copy when due). Modules the first visit of a page would import; loaded on a worker after the first paint.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成演示店铺</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺没有生成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建店铺（用订单导出文件）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在连接开放平台并同步……</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首次同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在首次同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有可用的同步方式，请检查凭据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首次同步没有完成：{message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多商家桌面助手已在运行，已切换到已打开的窗口。</source>
        <extracomment>Evaluates the alert rules after changes and every minute (工作台&apos;s 预警提醒). The window&apos;s desktop notifications (imports, urgent alerts); one tray icon. The first-start flow while it runs (tests drive its windows). Runs the automation rules after each sync and on a timer (db lane). Checks every few minutes whether the daily automatic backup is due (io lane). The &quot;数据文件可能已损坏&quot; question while it is open (tests answer it). The outcome of the last restore from the window (tests read it). The error shown when a restore failed (tests read it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多商家桌面助手已在运行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺正在使用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法打开店铺数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未连接平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示数据 · 未连接平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺没有改名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据文件可能已损坏</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查店铺数据时发现问题，继续使用可能丢失数据。建议从最近的完好备份恢复。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复时，损坏的数据文件会改名保留在店铺文件夹中（不会删除），然后用备份替换；备份之后的改动需要重新同步或重新导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>从最近的备份恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择备份文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以后再说</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择备份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺备份 (*.db);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已从备份恢复：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；损坏的数据文件已改名保留为 {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；恢复前的数据已另存为 {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在从备份恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有恢复，数据未改动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已自动备份：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动备份没有完成：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺不能导入真实的订单文件，请先新建真实店铺（店铺 → 新建店铺）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{error}；用 pdd-desktop shop list 查看已有店铺</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作没有完成：{problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出错了</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>详细信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复制详细信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重要通知</source>
        <extracomment>Typing pauses this long before the search runs. The categories&apos; names on screen (the platform&apos;s seven, then the app&apos;s own alerts).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>平台动态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>返现通知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>规则更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>营销推广</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺动态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商家成长</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>系统提醒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺：站内信来自模拟平台，同步时会收到新的站内信。</source>
        <extracomment>Where this shop&apos;s platform notices come from, per ``services.messages.InboxSource.kind``.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多开放平台没有提供站内信接口，平台的站内信无法同步到这里，请在拼多多商家后台查看。这里显示本助手的系统提醒和以前保存的站内信。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本店未连接拼多多开放平台，平台的站内信请在拼多多商家后台查看；这里显示本助手的系统提醒。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步已关闭。平台的站内信请在拼多多商家后台查看；这里显示本助手的系统提醒。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>置顶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>分类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>编辑快捷回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建快捷回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如 /fh，可不填</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>插入变量…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>分组</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快捷短语</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>站内信</source>
        <extracomment>Column position by key.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部</source>
        <extracomment>Open what an alert (a ``services.alerts.AlertRow``) is about: the 系统提醒&apos;s button. The message in the reading pane. Ids to select when the next list arrives (the banner&apos;s rule notice).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {total:,} 条 · 未读 {unread:,} 条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}（{unread}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有 {count} 条规则更新未读：{title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有符合搜索条件的站内信</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有未读的站内信</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这个分类还没有站内信</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择一条站内信阅读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本助手</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{category} · {time} · 来自{source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这条提醒在 {time} 已经消除，没有需要查看的了</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开这条提醒涉及的内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消置顶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标为已读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标为未读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部标为已读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把所有分类的未读站内信都标为已读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看规则更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索标题或内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只看未读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本类全部已读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把当前分类的未读站内信都标为已读</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>亏本售卖</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} 至 {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推广</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} 至 {last} · 报表最新到 {latest}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>花费 {spend} · 交易额 {gmv} · ROI {roi} · 成交 {orders:,} 笔 · 每笔成交花费 {per}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>其中全店托管（无商品明细）花费 {spend}：报表“总计”行的花费比各商品行的合计多出的部分，不算到任何商品；总计只有整份报表的合计，所以记在报表的最后一天（{spans}）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{plans} 个推广计划、{goods} 个商品连续 {days} 天 ROI 低于保本 ROI（标红），推广在亏钱。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连续 {days} 天低于保本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全店托管（无商品明细）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{span} 全店托管（无商品明细）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>近 12 个月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>交易收入</source>
        <extracomment>Category names on screen (domain.funds keys).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>交易退款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>技术服务费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>技术服务费返还</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>售后赔付</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>营销费用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>其他收支</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>转账（保证金/广告账户）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>提现</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未分类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>资金</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>资金账目</source>
        <extracomment>Open 发货中心 with this :class:`~pdd_desktop.services.orders.OrderFilter`. The reports behind the tabs&apos; export buttons: (report key, file name stem).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>利润</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{lines:,} 笔</source>
        <extracomment>What the lines list shows: (start, end, category, order number). The last export: (path, rows written), for the status line and tests.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>账单余额 {balance}&#x3000;·&#x3000;收入 {income}&#x3000;·&#x3000;支出 {expense}&#x3000;·&#x3000;经营收支 {operating}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所选 {days} 天中有 {covered} 天有账单。账单余额是已导入账单的累计收支；经营收支不含转账和提现（也不含未分类）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first} ～ {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{when} · {what} · 共 {total:,} 笔</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（显示最新的 {shown:,} 笔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出 {rows:,} 行：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>输入快捷短语（如 /wl）或关键字，回车复制</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快捷回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>短语</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未选择订单：变量不会被填写</source>
        <extracomment>The shortcut that opens the quick replies from 发货中心 and 售后.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新发货日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择一条快捷回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复制（回车）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {sn}：变量按这张订单填写</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M月d日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>「{text}」{rule}：{why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还有变量没有值：{names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先输入订单号并点「按订单填写」，或直接修改文字。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有可复制的内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未复制：请先修改标红的内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已复制，可粘贴到拼多多商家工作台的聊天窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拼多多开放平台没有提供客服数据接口：请在拼多多商家后台导出「客服数据」（店铺）和「客服绩效」（按客服），再点「导入客服数据」。文件中的平均、总计行会用来核对明细。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>演示店铺：客服数据来自模拟平台（按小时模拟的咨询和三位客服），每次同步导入到昨天为止的数据；也可以点「导入客服数据」试试导入文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>客服</source>
        <extracomment>The figures table&apos;s columns (the 8–23 h window and the whole day side by side).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有客服数据。导入商家后台导出的客服数据文件后，这里按客服显示回复率。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有客服数据：演示店铺下次同步时会从模拟平台导入近30天的客服数据，也可以点「导入客服数据」导入文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当日：{day}&#x3000;近30天：{first} 至 {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（其中 {n} 天有数据）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} 位客服</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>漏回最多的时段（近30天，考核时段 8–23 点）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全店</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>低于目标 {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>漏回最多的时段：导入的文件没有分时数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>漏回最多的时段（近30天）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{a:02d}:00–{b:02d}:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>23:00–次日08:00（不计入考核）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择客服数据文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>表格文件 (*.csv *.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除快捷回复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除「{t}」？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>紧急</source>
        <extracomment>Severity → (label, colour).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>注意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>提示</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看订单</source>
        <extracomment>What the open button says per target.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看售后单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开同步窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看推广</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看客服数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看自动化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看对账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 小时后提醒</source>
        <extracomment>Snooze choices (services.alerts.SNOOZE_CHOICES keys) with their menu texts.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今天不再提醒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 天后提醒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>紧急提醒：{title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另有 {count} 条新的紧急提醒，请到 工作台 → 预警提醒 查看。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（可能赔付 {amount}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>稍后提醒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂无需要处理的提醒。规则在每次同步、导入和操作后以及每分钟自动检查。</source>
        <extracomment>The open button of an alert was clicked: its ``AlertRow``. (alert key, snooze choice) from a row&apos;s 稍后提醒 menu. 显示稍后提醒的 was clicked: show the snoozed alerts again now.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>现在显示</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另有 {count} 条提醒已设为稍后提醒</source>
        <extracomment>The rows shown, in order.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}（{goods_id}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}：请填写金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}：金额格式不对（元，最多两位小数）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品券（无门槛，同步到平台）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>店铺满减券（需在平台设置）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：新品立减5元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>满多少元可用，不填为无门槛</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>券类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>优惠金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用门槛</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发行数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每人限领</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开始时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>限时折扣</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>限量折扣</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：周末限时折扣</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>折，如 8.5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不限购</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>折扣（折）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动库存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每人限购</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>折扣：请填写 0.1 到 9.9 之间的折数，如 8.5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>折扣：最多两位小数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>优惠券</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>限时限量购</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动效果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>优惠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已用/发行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有效期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>提醒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>报名状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>活动库存/已售</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>统计期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>成交额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>优惠成本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>折后毛利</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期商品成交额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上一周期成交额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>变化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品券（无门槛）经同步在平台上创建；店铺满减券平台未开放创建接口，记为“需在平台设置”的计划，请在拼多多商家后台按计划设置。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建限时折扣</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入报名记录…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入拼多多商家后台“活动报名记录”导出的文件（.csv / .xlsx）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按订单的店铺优惠金额与活动价匹配订单；成交额为商品按实付价（扣店铺优惠）计；折后毛利 = 成交额 − 成本价（商品里未填成本价的规格不计入）；本期商品成交额为同样的商品在统计期内全部订单的成交额（用没用活动都算），上一周期为活动前同样长的时间、同样的商品，变化比较这两项。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结算收入</source>
        <extracomment>The order table shows at most this many orders (those with the lowest profit first). The P&amp;L lines: key → shown name.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>商品成本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>运费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推广花费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结算订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结算时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（{n} 单未填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（不全）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期未结算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未填运费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>运费价格表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出利润表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看未填成本的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>去填成本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在 商品 里列出这些订单中没填成本价的规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看未填运费的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按账单记账日期统计（收付实现）：订单在本期首次结算时计入商品成本和运费；推广花费来自推广报表。商品成本在 商品 里按规格填写，运费在“运费价格表”里填写；没填的订单不按 0 计，利润显示为不全。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>利润：未填成本的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>利润：未填运费的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在计算利润</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消计算利润；重新选择日期即可再算。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期 {n:,} 单结算，成本和运费都已填写。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期 {n:,} 单结算：未填成本 {mc:,} 单，未填运费 {ms:,} 单，利润不全。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n:,} 单，显示利润最低（含价格未填）的 {shown:,} 单；双击一行查看订单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n:,} 单；双击一行查看订单。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>利润：未填成本的规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这些订单的 {n:,} 个规格已不在商品里，无法填写成本价；利润对这些订单不全。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这些订单没有商品明细，无法按规格填写成本价。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {sn}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>核实收货地址</source>
        <extracomment>Reasons offered in the 暂停发货 dialog (the merchant may type any other).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>买家要求暂缓发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>等待补货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>疑似风险订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停 {count:,} 个待发货订单的发货。
暂停期间这些订单不能打单、发货，解除暂停后恢复。
只在本机记录，不会通知平台。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停原因（必填，最多 {limit} 字）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停发货…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停选中的待发货订单：解除前不能打单、发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>解除选中订单的暂停发货，恢复打单和发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更多</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂停发货、解除暂停</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先选择已暂停发货的订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有待发货订单可以暂停发货（{order_sn} 是{status}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} 已经暂停发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单 {order_sn} 没有暂停发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已暂停 {count:,} 个订单的发货：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已解除 {count:,} 个订单的暂停发货</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>订单文件和平台接口都不提供买家标识，无法统计买家数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另有 {n:,} 单没有买家标识，未计入</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
