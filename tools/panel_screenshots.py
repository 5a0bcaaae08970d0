"""Screenshots of the stage-weights panel in JupyterLab (headless Chromium): before, during and after one run with
stage 2 switched off. Needs Debian's chromium and chromium-driver (as the docs test does).

    python tools/panel_screenshots.py [OUT_DIR]     # default nbs/images: panel_before/during/after.png
"""
import json, subprocess, sys, tempfile, time
from pathlib import Path
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

PORT = 8899
CELLS = ['from mulki_nb.panel import StageWeightsPanel', 'panel = StageWeightsPanel()', 'panel.widget()']

def start_lab(folder: Path) -> subprocess.Popen:
    nb = dict(cells=[dict(cell_type='code', metadata={}, execution_count=None, outputs=[], source=s) for s in CELLS],
              metadata=dict(kernelspec=dict(display_name='Python 3 (ipykernel)', language='python', name='python3')),
              nbformat=4, nbformat_minor=5)
    (folder/'panel.ipynb').write_text(json.dumps(nb))
    jupyter = Path(sys.executable).parent/'jupyter'
    return subprocess.Popen([str(jupyter), 'lab', '--no-browser', f'--port={PORT}', '--allow-root', '--ServerApp.token=',
                             '--ServerApp.password=', f'--ServerApp.root_dir={folder}'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def browser(profile: Path) -> webdriver.Chrome:
    opts = webdriver.ChromeOptions()
    for a in ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
              '--disable-background-networking', '--disable-component-update', '--disable-sync',
              '--window-size=1280,1500', f'--user-data-dir={profile}']:
        opts.add_argument(a)
    opts.binary_location = '/usr/bin/chromium'
    return webdriver.Chrome(service=webdriver.ChromeService('/usr/bin/chromedriver'), options=opts)

def wait_for(check, timeout: float = 360, every: float = 2) -> bool:
    end = time.time() + timeout
    while time.time() < end:
        if check(): return True
        time.sleep(every)
    return False

def main(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix='panel_shots_'))
    lab = start_lab(work)
    time.sleep(8)
    d = browser(Path(tempfile.mkdtemp(prefix='panel_browser_')))  # its profile outside the notebook folder
    try:
        d.get(f'http://localhost:{PORT}/lab/tree/panel.ipynb')
        time.sleep(15)
        for b in d.find_elements(By.XPATH, "//button[normalize-space()='No']"): b.click()  # the news pop-up
        d.find_elements(By.CSS_SELECTOR, '.jp-Notebook .jp-Cell')[0].click()
        for _ in CELLS:
            ActionChains(d).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
            time.sleep(1)
        wait_for(lambda: d.find_elements(By.CSS_SELECTOR, '.widget-button'))  # the two reference runs are done
        time.sleep(3)
        d.save_screenshot(str(out/'panel_before.png'))
        for handle in d.find_elements(By.CSS_SELECTOR, '.widget-slider .noUi-handle')[1:3]:  # λ intra, λ inter → 0
            ActionChains(d).drag_and_drop_by_offset(handle, -400, 0).perform()
            time.sleep(0.5)
        d.find_element(By.CSS_SELECTOR, '.widget-button').click()
        time.sleep(6)
        d.save_screenshot(str(out/'panel_during.png'))
        wait_for(lambda: not d.find_elements(By.XPATH, "//*[contains(text(), 'Training')]"))
        time.sleep(4)
        d.save_screenshot(str(out/'panel_after.png'))
    finally:
        d.quit()
        lab.terminate()

if __name__ == '__main__': main(Path(sys.argv[1] if len(sys.argv) > 1 else 'nbs/images'))
