"""The stage-weights panel, driven through its callback (no browser): a slider moved far from its default
moves the result by more than twice the run-to-run noise (other batch orders), the same settings give the same
numbers, and every run adds a row to the panel's table."""
from mulki_nb.panel import StageWeightsPanel

def table_rows(panel) -> int: return panel.runs.value.count('<tr')

def test_panel_callback():
    panel = StageWeightsPanel()
    panel.widget()
    assert [r['run'] for r in panel.history] == ['fine-tuning', 'MulKI, default weights']
    assert table_rows(panel) == 3  # the header and the two reference runs
    # forgetting is there to protect: fine-tuning on digits loses much of mnist, learned first
    assert panel.start_rows[1][0] - panel.history[0]['mnist'] > 10
    # the default weights again: the same numbers (a seed fixes everything), one more row
    panel.button.click()
    assert panel.history[2]['last'] == panel.history[1]['last'] and table_rows(panel) == 4
    assert not panel.button.disabled and panel.bar.value == panel.train.steps
    # three times the inter-modal relations' weight: Last moves by more than it does when only the seed changes
    panel.sliders['lambda_inter'].value = 3
    panel.button.click()
    assert table_rows(panel) == 5 and panel.history[3]['lambda_inter'] == 3
    effect = abs(panel.history[3]['last'] - panel.history[1]['last'])
    # the noise: the default weights from the same start with two other batch orders
    others = [panel.run(seed=s).summaries()['last'] for s in (1, 2)]
    noise = max(abs(v - panel.history[1]['last']) for v in others)
    assert effect > 2 * noise, (effect, noise)
