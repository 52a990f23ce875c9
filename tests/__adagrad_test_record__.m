## Test helper: an output function for adagrad_train that records (iter, loss).
function stop = __adagrad_test_record__ (net, info)
  global adagrad_test_seen
  assert (net.iter, info.iter);
  adagrad_test_seen(end+1, :) = [info.iter, info.loss];
  stop = false;
endfunction
